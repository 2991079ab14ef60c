// NHS.UK frontend's components (header menu, skip link), as its page template starts them;
// a file, not an inline script, so the Content-Security-Policy can forbid inline scripts.
import { initAll } from './vendor/nhsuk/nhsuk-frontend.min.js';

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported');
initAll();
