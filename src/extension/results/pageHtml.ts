/**
 * The results page's HTML, without `vscode`: the panel serves it, and the browser harness that tests
 * the page outside VS Code serves the very same markup and CSP.
 */

export function resultsPageHtml(page: { cspSource: string; nonce: string; script: string; style: string }): string {
  const csp = [`default-src 'none'`, `img-src ${page.cspSource} data:`, `style-src ${page.cspSource}`, `script-src 'nonce-${page.nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${page.style}">
<title>Results</title>
</head>
<body>
<header>
  <h1 id="title">Results</h1>
  <span id="summary" role="status"></span>
  <label>Run <select id="run" aria-label="Run to show"></select></label>
  <span class="actions">
    <button id="reset-zoom" title="Show every trial again (the wheel zooms the chart, a drag pans it)" disabled>Reset zoom</button>
    <button id="export-png" title="Save the chart as a PNG image">PNG</button>
    <button id="export-csv" title="Save the table as CSV">CSV</button>
    <button id="export-md" title="Save the table as Markdown">Markdown</button>
  </span>
</header>
<p id="error" role="alert"></p>
<div class="chart-box"><canvas id="chart" role="img" aria-label="Score per trial, with the best so far"></canvas></div>
<div id="pareto-box" hidden><canvas id="pareto" role="img" aria-label="Metric 1 against metric 2, with the Pareto front"></canvas></div>
<div id="table" aria-label="Trials"></div>
<script nonce="${page.nonce}" src="${page.script}"></script>
</body>
</html>`;
}
