import { expect, test } from "vitest";
import { safeRedirectPath } from "~/utils/redirect";

test("a same-site path is kept, percent-encoded so that it fits a Location header", () => {
  expect(safeRedirectPath("/offers?theme=youth-employment#list")).toBe("/offers?theme=youth-employment#list");
  expect(safeRedirectPath("/Ā")).toBe("/%C4%80");
  expect(safeRedirectPath("/búsqueda?q=niñez")).toBe("/b%C3%BAsqueda?q=ni%C3%B1ez");
});

test("anything that could leave the site falls back", () => {
  for (const target of ["//evil.example", "/\\evil.example", "https://evil.example", "evil", "/\t/evil.example", undefined, 7]) {
    expect(safeRedirectPath(target, "/home")).toBe("/home");
  }
});
