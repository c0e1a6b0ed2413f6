import { describe, expect, it } from "vitest";
import { boundKeys, fieldsOf, labelKeysOf } from "./labelKeys";

describe("label keys", () => {
  it("fill nine fields, one a key, empty where a key gives none", () => {
    expect(fieldsOf(["Wren", null, "Robin"])).toEqual(["Wren", "", "Robin", "", "", "", "", "", ""]);
    expect(fieldsOf([])).toHaveLength(9);
  });

  it("are saved trimmed, empty fields as null, with nothing after the last label", () => {
    expect(labelKeysOf([" Wren ", "", "Robin", "  ", "", "", "", "", ""])).toEqual(["Wren", null, "Robin"]);
    expect(labelKeysOf(["", "", "", "", "", "", "", "", ""])).toEqual([]);
    expect(labelKeysOf(fieldsOf([null, "Jay"]))).toEqual([null, "Jay"]);
  });

  it("list the keys that give a label, by their digit", () => {
    expect(boundKeys([null, "Wren", null, "Robin"])).toEqual([
      { digit: 2, label: "Wren" },
      { digit: 4, label: "Robin" },
    ]);
  });
});
