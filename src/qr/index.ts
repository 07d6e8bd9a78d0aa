// The QR module, fetched only for QR bills: the encoder, and the picture phones show.
export { encodeQr, type QrMatrix } from './qr-matrix';
export { qrImage } from './qr-image';
