/** The light border, in modules, that scanners need around a QR code. */
export const QUIET_MODULES = 4;
