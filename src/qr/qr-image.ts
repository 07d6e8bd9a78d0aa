import type { QrMatrix } from './qr-matrix';
import { QUIET_MODULES } from './quiet-zone';

/** Side of the saved picture at least, in pixels, so that a scanner reading it from a photo album finds enough detail. */
const SAVED_SIDE_PX = 300;

/**
 * The QR code as a PNG data URL, a whole number of pixels per module so that no edge is grey. Phones swap it in
 * for the SVG: on a long press a browser offers to save an image, and WeChat to read one, but neither offers
 * anything for an SVG drawn in the page. Null where the browser has no 2D canvas.
 */
export function qrImage(matrix: QrMatrix, doc: Document): string | null {
  const modules = matrix.size + QUIET_MODULES * 2;
  const scale = Math.ceil(SAVED_SIDE_PX / modules);
  const canvas = doc.createElement('canvas');
  canvas.width = canvas.height = modules * scale;
  const context = typeof Path2D === 'function' ? canvas.getContext('2d') : null;
  if (!context) return null;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.setTransform(scale, 0, 0, scale, QUIET_MODULES * scale, QUIET_MODULES * scale);
  context.fillStyle = '#000';
  context.fill(new Path2D(matrix.path));
  return canvas.toDataURL('image/png');
}
