import type { ExportFormat } from './graphql/nominations';

/** Hands `text` to the browser as a file download, without a round trip to the server. */
export function downloadTextFile(fileName: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mimeType};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The click has started the download; the object URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** An export's text as a file named after `title` in letters, digits and dashes ("ronde-1.csv"). */
export function downloadExport(title: string, format: ExportFormat, text: string): void {
  const base = title.normalize('NFKD').replace(/[^\w]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'export';
  downloadTextFile(`${base}.${format.toLowerCase()}`, text, format === 'CSV' ? 'text/csv' : 'application/json');
}
