/** Vite turns a CSS import into a stylesheet link in the built page. */
declare module '*.css';
