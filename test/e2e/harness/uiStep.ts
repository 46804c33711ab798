/** A UI test step: always a screenshot under test-results/; on failure the page's HTML and the server's log too. */
import type { Page } from 'playwright-core';
import { saveArtifacts } from './browser';
import type { RunningServer } from './codeServer';

export async function uiStep(name: string, page: Page, server: RunningServer, fn: () => Promise<void>): Promise<void> {
  let failed = false;
  try {
    await fn();
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    await saveArtifacts(page, name, failed, server.log());
  }
}
