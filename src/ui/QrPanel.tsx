/** @jsxImportSource preact */
import type { QrMatrix } from '../qr/qr-matrix';
import type { Strings } from './strings';

interface QrPanelProps {
  matrix: QrMatrix | null;
  mobile: boolean;
  text: Strings;
}

/** The WeChat QR code, drawn as SVG so it stays sharp at any pixel ratio, with its hint. */
export function QrPanel({ matrix, mobile, text }: QrPanelProps) {
  const quiet = 4;
  return (
    <div class="qr">
      {matrix ? (
        <svg
          class="qr-code"
          role="img"
          aria-label={text.qrLabel}
          viewBox={`${-quiet} ${-quiet} ${matrix.size + quiet * 2} ${matrix.size + quiet * 2}`}
          shape-rendering="crispEdges"
        >
          <rect x={-quiet} y={-quiet} width={matrix.size + quiet * 2} height={matrix.size + quiet * 2} fill="#fff" />
          <path d={matrix.path} fill="#000" />
        </svg>
      ) : (
        <div class="qr-code qr-loading" role="status">
          {text.qrLoading}
        </div>
      )}
      <p class="qr-hint">{mobile ? text.scanHintMobile : text.scanHint}</p>
      <p class="waiting" role="status">
        {text.waiting}
      </p>
    </div>
  );
}
