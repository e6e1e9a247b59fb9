/**
 * Windows-edited config files: a UTF-8 byte-order mark and CRLF line endings. Writers work on plain
 * LF text without a BOM; the file's own style is put back on what they return, so a BOM stays and a
 * CRLF file stays CRLF (a file mixing both endings is passed through as it is).
 */

const BOM = "\uFEFF";

/** How a file's text is dressed: a leading BOM, CRLF line endings. */
export interface TextStyle {
  readonly bom: boolean;
  readonly crlf: boolean;
}

/** The text without its BOM and with LF endings (when every line ended in CRLF), and its style. */
export function normalizeText(text: string): { text: string; style: TextStyle } {
  const bom = text.startsWith(BOM);
  let body = bom ? text.slice(BOM.length) : text;
  const crlf = body.includes("\r\n") && !/(^|[^\r])\n/.test(body);
  if (crlf) body = body.replace(/\r\n/g, "\n");
  return { text: body, style: { bom, crlf } };
}

/** Put `style` back on LF text a writer returned. */
export function restoreText(text: string, style: TextStyle): string {
  const body = style.crlf ? text.replace(/\r?\n/g, "\r\n") : text;
  return style.bom ? BOM + body : body;
}
