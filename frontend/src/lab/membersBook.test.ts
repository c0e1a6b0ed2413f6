import { describe, expect, it } from "vitest";
import { FakeLabServer } from "./fakeLabServer";
import { MembersBook } from "./membersBook";

const roles = (book: MembersBook) => book.getSnapshot().answer?.members.map((m) => `${m.username}:${m.role}`);

async function lab() {
  const server = new FakeLabServer("olga");
  const book = new MembersBook(server, "p1");
  await book.load();
  return { server, book };
}

describe("a project's members page", () => {
  it("adds members and reads the list back, owner first", async () => {
    const { book } = await lab();
    expect(await book.add(" vic ", "viewer")).toBe(true);
    expect(await book.add("ann", "annotator")).toBe(true);
    expect(roles(book)).toEqual(["olga:owner", "ann:annotator", "vic:viewer"]);
    expect(book.getSnapshot().note).toEqual({ text: "Added ann.", error: false });
  });

  it("refuses an empty username without asking the server", async () => {
    const { server, book } = await lab();
    expect(await book.add("  ", "viewer")).toBe(false);
    expect(book.getSnapshot().note?.error).toBe(true);
    expect(server.requests).toEqual(["GET members p1"]);
  });

  it("hands the project over: the previous owner becomes an annotator", async () => {
    const { book } = await lab();
    await book.add("ann", "annotator");
    await book.changeRole("ann", "owner");
    expect(roles(book)).toEqual(["ann:owner", "olga:annotator"]);
    expect(book.getSnapshot().answer?.you.role).toBe("annotator");
  });

  it("shows the server's refusal and keeps the list as it was", async () => {
    const { server, book } = await lab();
    await book.add("vic", "viewer");
    const asVic = new MembersBook(server.as("vic"), "p1");
    await asVic.load();
    expect(await asVic.add("eve", "viewer")).toBe(false);
    expect(asVic.getSnapshot().note).toEqual({ text: "your role in this project is viewer: adding members needs owner", error: true });
    expect(roles(asVic)).toEqual(["olga:owner", "vic:viewer"]);
  });

  it("removes a member, who is then refused as if the project did not exist", async () => {
    const { server, book } = await lab();
    await book.add("ann", "annotator");
    await book.remove("ann");
    expect(roles(book)).toEqual(["olga:owner"]);
    await expect(server.as("ann").members("p1")).rejects.toMatchObject({ status: 404 });
  });

  it("lets a member leave, and says so", async () => {
    const { server, book } = await lab();
    await book.add("ann", "annotator");
    const asAnn = new MembersBook(server.as("ann"), "p1");
    await asAnn.load();
    expect(await asAnn.remove("ann")).toBe(true);
    expect(asAnn.getSnapshot()).toMatchObject({ left: true, answer: null, note: { text: "You left the project." } });
  });

  it("keeps the owner from leaving before handing over", async () => {
    const { book } = await lab();
    expect(await book.remove("olga")).toBe(false);
    expect(book.getSnapshot()).toMatchObject({ left: false, note: { error: true } });
    expect(book.getSnapshot().note?.text).toMatch(/owner cannot leave/);
  });

  it("does one change at a time", async () => {
    const { server, book } = await lab();
    const first = book.add("ann", "annotator");
    expect(await book.add("vic", "viewer")).toBe(false);
    await first;
    expect(server.requests.filter((r) => r.startsWith("POST"))).toHaveLength(1);
  });
});
