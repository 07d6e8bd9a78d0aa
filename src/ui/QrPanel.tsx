/** @jsxImportSource preact */
import { Component } from 'preact';
import type { QrMatrix } from '../qr/qr-matrix';
import { QUIET_MODULES } from '../qr/quiet-zone';
import type { Strings } from './strings';

interface QrPanelProps {
  matrix: QrMatrix | null;
  /** The same code as a PNG data URL, shown on phones so it can be saved; null draws the SVG. */
  image?: string | null;
  mobile: boolean;
  text: Strings;
}

/** The WeChat QR code with its hint: an image on phones, else SVG, which stays sharp at any pixel ratio. */
export function QrPanel({ matrix, image, mobile, text }: QrPanelProps) {
  return (
    <div class="qr">
      {matrix ? (
        image ? (
          <QrImage src={image} matrix={matrix} label={text.qrLabel} />
        ) : (
          <QrSvg matrix={matrix} label={text.qrLabel} />
        )
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

function QrSvg({ matrix, label }: { matrix: QrMatrix; label: string }) {
  const side = matrix.size + QUIET_MODULES * 2;
  return (
    <svg class="qr-code" role="img" aria-label={label} viewBox={`${-QUIET_MODULES} ${-QUIET_MODULES} ${side} ${side}`} shape-rendering="crispEdges">
      <rect x={-QUIET_MODULES} y={-QUIET_MODULES} width={side} height={side} fill="#fff" />
      <path d={matrix.path} fill="#000" />
    </svg>
  );
}

/** The PNG, or the SVG when the page's Content-Security-Policy refuses data: images. */
class QrImage extends Component<{ src: string; matrix: QrMatrix; label: string }, { refused: boolean }> {
  #refused = () => this.setState({ refused: true });

  override render() {
    const { src, matrix, label } = this.props;
    if (this.state.refused) return <QrSvg matrix={matrix} label={label} />;
    return <img class="qr-code qr-image" src={src} alt={label} onError={this.#refused} />;
  }
}
