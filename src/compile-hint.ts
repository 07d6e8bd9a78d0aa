/**
 * V8's explicit compile hint (Chrome 136 and later): a script or module whose first line is this
 * comment has all its functions compiled while it streams in, off the main thread, instead of on
 * their first call. The first click and the QR code then wait for no compiling. Other engines read
 * it as a plain comment. It must be the file's first line, so the build and returnscripts put it there.
 */
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad';
