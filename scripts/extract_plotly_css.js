// Writes plotly.js's base style rules to a stylesheet, so the pages need no inline <style>
// under a strict Content Security Policy. Run by `make vendor` after copying the bundle.
// The page links the file with id="plotly.js-style-global" class="no-inline-styles", which tells
// plotly.js that its rules are already there.
const fs = require("fs");
const [bundlePath, cssPath] = process.argv.slice(2);
const bundle = fs.readFileSync(bundlePath, "utf8");
const start = bundle.search(/\w+=\{"X,X div"/);
const open = bundle.indexOf("{", start);
const close = bundle.indexOf("};for(", open) + 1;
// An object literal of plain strings (single-quoted in places), read without running the bundle.
const rules = new Function(`return (${bundle.slice(open, close)});`)();
let css = "/* plotly.js base styles, extracted from the bundle by scripts/extract_plotly_css.js. MIT licence (see LICENSE). */\n";
for (const selector in rules) {
  const full = selector
    .replace(/^,/, " ,")
    .replace(/X/g, ".js-plotly-plot .plotly")
    .replace(/Y/g, ".plotly-notifier");
  css += `${full}{${rules[selector]}}\n`;
}
fs.writeFileSync(cssPath, css);
