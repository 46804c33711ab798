/** Chart colours and fonts from the VS Code theme's CSS variables, so light, dark and high contrast all read. */
export interface ThemeColors {
  foreground: string;
  grid: string;
  kept: string;
  reverted: string;
  error: string;
  best: string;
  baseline: string;
  /** The baseline's noise band: translucent, so the grid and points show through in every theme. */
  band: string;
  whisker: string;
  modality(name: string): string;
}

function variable(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

const MODALITY_VARIABLES = ['--vscode-charts-blue', '--vscode-charts-purple', '--vscode-charts-orange', '--vscode-charts-yellow'];

export function themeColors(): ThemeColors {
  const modalities = MODALITY_VARIABLES.map((v) => variable(v, '#888888'));
  const seen = new Map<string, string>();
  return {
    foreground: variable('--vscode-foreground', '#cccccc'),
    grid: variable('--vscode-editorWidget-border', 'rgba(128, 128, 128, 0.3)'),
    kept: variable('--vscode-charts-green', '#388a34'),
    reverted: variable('--vscode-descriptionForeground', '#8b8b8b'),
    error: variable('--vscode-charts-red', '#e51400'),
    best: variable('--vscode-charts-blue', '#1a85ff'),
    baseline: variable('--vscode-charts-foreground', '#bbbbbb'),
    band: variable('--vscode-editor-selectionHighlightBackground', 'rgba(128, 128, 128, 0.18)'),
    whisker: variable('--vscode-foreground', '#cccccc'),
    modality(name) {
      if (!seen.has(name)) seen.set(name, modalities[seen.size % modalities.length]);
      return seen.get(name)!;
    },
  };
}

/** VS Code's fonts: its UI font for words, its editor font for numbers (scores line up). */
export function themeFonts(): { ui: string; numbers: string } {
  return {
    ui: variable('--vscode-font-family', 'system-ui, sans-serif'),
    numbers: variable('--vscode-editor-font-family', 'monospace'),
  };
}
