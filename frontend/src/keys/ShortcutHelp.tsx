import { Dialog, Kbd, Table } from "@radix-ui/themes";
import type { ReactNode } from "react";
import { shortcutsOf, type Scope } from "./shortcuts";

const TITLES: Record<Scope, string> = { viewer: "Keyboard shortcuts: viewer", review: "Keyboard shortcuts: review" };

/** What `?` shows: every shortcut of the scope, read from the table the app binds; `children`
 * below it (the viewer's label keys). */
export function ShortcutHelp({
  scope,
  open,
  onOpenChange,
  children,
}: {
  scope: Scope;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  children?: ReactNode;
}) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Content maxWidth="560px" size="2">
        <Dialog.Title>{TITLES[scope]}</Dialog.Title>
        <Dialog.Description size="2" color="gray">
          Keys work anywhere on the page but in a text field. Press ? or Escape to close.
        </Dialog.Description>
        <Table.Root size="1" mt="3">
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeaderCell>Keys</Table.ColumnHeaderCell>
              <Table.ColumnHeaderCell>Does</Table.ColumnHeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {shortcutsOf(scope).map((shortcut) => (
              <Table.Row key={shortcut.id}>
                <Table.RowHeaderCell>
                  {shortcut.keys.map((key, i) => (
                    <span key={key}>
                      {i > 0 && " or "}
                      <Kbd>{key === "1-9" ? "1 … 9" : key}</Kbd>
                    </span>
                  ))}
                </Table.RowHeaderCell>
                <Table.Cell>{shortcut.does}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
        {children}
      </Dialog.Content>
    </Dialog.Root>
  );
}
