/**
 * Read-only documents for the journal's snapshots: `autoexp-snapshot:/<hash>/<file name>?<journal root>`.
 * The file name gives the diff editor its language; the root says which `.autoexp/` holds the bytes.
 */
import * as vscode from 'vscode';
import { SnapshotStore } from '../../core/run/snapshots';

export const SNAPSHOT_SCHEME = 'autoexp-snapshot';

export function snapshotUri(root: string, hash: string, fileName: string, label: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SNAPSHOT_SCHEME, path: `/${hash}/${label}/${fileName}`, query: root });
}

export class SnapshotContentProvider implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    const hash = uri.path.split('/')[1];
    try {
      return new SnapshotStore(uri.query).get(hash).toString('utf8');
    } catch (err) {
      // A snapshot removed with .autoexp/: say so in the document rather than fail the editor.
      return `Autoexp: snapshot ${hash} is not in ${uri.query}/.autoexp/snapshots (${(err as NodeJS.ErrnoException).code ?? err}).`;
    }
  }
}
