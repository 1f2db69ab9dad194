// Starts GOV.UK Frontend's components (a module file: the Content-Security-Policy allows no inline script).
import { initAll } from "../discretion/govuk/govuk-frontend.min.js";
initAll();
