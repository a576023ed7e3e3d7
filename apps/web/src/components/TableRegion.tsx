import { Table, TableCaption } from '@rijkshuisstijl-community/components-react';
import { ReactNode, useId } from 'react';

/**
 * A table that scrolls sideways on a narrow screen. The scrolling region is focusable and named
 * by the caption, so keyboard users can scroll it too.
 */
export function TableRegion({ caption, children }: { caption: string; children: ReactNode }) {
  const captionId = useId();
  return (
    <div className="quire-table-region" role="region" aria-labelledby={captionId} tabIndex={0}>
      <Table>
        <TableCaption id={captionId}>{caption}</TableCaption>
        {children}
      </Table>
    </div>
  );
}
