/**
 * The script-tag build's UI module, spay-ui.<hash>.js: what a click needs to open the dialog (Preact, validation,
 * channel rules, the dialog with its styles and strings). The loader, global.ts, fetches it as it runs.
 */
export { createPayButton } from './create-button';
