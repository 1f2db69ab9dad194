// Copies govuk-frontend's JavaScript and images (not its fonts: we use a system font stack).
const fs = require("fs");
const path = require("path");
const root = path.join(__dirname, "..", "..", "..", "..");
const src = path.join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const dest = path.join(__dirname, "..", "static", "discretion", "govuk");
fs.mkdirSync(path.join(dest, "assets"), { recursive: true });
fs.copyFileSync(path.join(src, "govuk-frontend.min.js"), path.join(dest, "govuk-frontend.min.js"));
fs.copyFileSync(path.join(root, "node_modules", "htmx.org", "dist", "htmx.min.js"), path.join(dest, "..", "htmx.min.js"));
fs.cpSync(path.join(src, "assets", "images"), path.join(dest, "assets", "images"), { recursive: true });
