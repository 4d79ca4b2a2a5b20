// A QR code as inline SVG; its own chunk, loaded only when MFA is being set up.
import qrcode from "qrcode-generator";
import { qrPath } from "./signin";

export default function QrCode(props: { text: string; label: string }) {
  const qr = qrcode(0, "M");
  qr.addData(props.text);
  qr.make();
  const n = qr.getModuleCount();
  const quiet = 4;
  return (
    <svg
      className="qr"
      role="img"
      aria-label={props.label}
      viewBox={`${-quiet} ${-quiet} ${n + 2 * quiet} ${n + 2 * quiet}`}
      width={200}
      height={200}
      shapeRendering="crispEdges"
    >
      <rect x={-quiet} y={-quiet} width={n + 2 * quiet} height={n + 2 * quiet} fill="#fff" />
      <path d={qrPath(n, (r, c) => qr.isDark(r, c))} fill="#000" />
    </svg>
  );
}
