import { Button } from "@radix-ui/themes";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { nextPage, type Pages, previousPage } from "./listing";

/** **Previous page** / **Next page** under a paged list: `pages` are the cursors of the pages
 * before this one, `next` the server's cursor of the one after (null: this is the last). */
export function Pager({ pages, next, onPages }: { pages: Pages; next: string | null; onPages: (pages: Pages) => void }) {
  return (
    <nav className="paging" aria-label="Pages">
      <Button size="1" variant="soft" disabled={pages.length === 0} onClick={() => onPages(previousPage(pages))}>
        <ChevronLeft size={14} aria-hidden="true" />
        Previous page
      </Button>
      <span>Page {pages.length + 1}</span>
      <Button size="1" variant="soft" disabled={next === null} onClick={() => next && onPages(nextPage(pages, next))}>
        Next page
        <ChevronRight size={14} aria-hidden="true" />
      </Button>
    </nav>
  );
}
