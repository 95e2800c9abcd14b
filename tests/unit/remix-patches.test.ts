/**
 * The patches under patches/ (patch-package) change Remix internals; these tests fail when an
 * upgrade drops one (docs/decisions/016 and 019).
 */
import { matchRoutes } from "@remix-run/router";
import { createRequestHandler, type ServerBuild } from "@remix-run/server-runtime";
import { describe, expect, it } from "vitest";

/** A two-route app (root and /child) whose loaders record the Request each one is given. */
function recordingBuild() {
  const seen: Request[] = [];
  const loader = ({ request }: { request: Request }) => {
    seen.push(request);
    return null;
  };
  const Component = () => null;
  const build = {
    mode: "production",
    entry: { module: { default: () => new Response("rendered", { headers: { "Content-Type": "text/html" } }) } },
    routes: {
      root: { id: "root", path: "", module: { loader, default: Component } },
      "routes/child": { id: "routes/child", parentId: "root", path: "child", module: { loader, default: Component } },
      "routes/child._index": { id: "routes/child._index", parentId: "routes/child", index: true, module: { loader, default: Component } },
    },
    assets: {
      version: "test",
      url: "/build/manifest.js",
      entry: { module: "/build/entry.client.js", imports: [] },
      routes: {
        root: { id: "root", path: "", module: "/build/root.js", hasLoader: true, hasAction: false, hasCatchBoundary: false, hasErrorBoundary: false },
        "routes/child": { id: "routes/child", parentId: "root", path: "child", module: "/build/child.js", hasLoader: true, hasAction: false, hasCatchBoundary: false, hasErrorBoundary: false },
        "routes/child._index": { id: "routes/child._index", parentId: "routes/child", index: true, module: "/build/index.js", hasLoader: true, hasAction: false, hasCatchBoundary: false, hasErrorBoundary: false },
      },
    },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: {},
    isSpaMode: false,
  } as unknown as ServerBuild;
  return { build, seen };
}

describe("server-runtime patch: loaders share the request when there is nothing to strip", () => {
  it("gives every loader of a page the same Request, so per-request look-ups (the session) are shared", async () => {
    const { build, seen } = recordingBuild();
    const response = await createRequestHandler(build)(new Request("http://localhost/child?q=water"));
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(1);
    expect(seen[0].url).toBe("http://localhost/child?q=water");
  });

  it("still strips Remix's own index parameter before a loader sees it", async () => {
    const { build, seen } = recordingBuild();
    const response = await createRequestHandler(build)(new Request("http://localhost/child?index&q=water"));
    expect(response.status).toBe(200);
    expect(seen.length).toBeGreaterThan(0);
    for (const request of seen) expect(new URL(request.url).searchParams.has("index")).toBe(false);
    for (const request of seen) expect(new URL(request.url).searchParams.get("q")).toBe("water");
  });
});

describe("router patch: ranked branches are kept on the route array", () => {
  const tree = () => [
    { id: "root", path: "/", children: [{ id: "offers", path: "offers/:id" }, { id: "search", path: "search" }] },
  ];

  it("matches the same array again from what it kept, and a new array from scratch", () => {
    const routes = tree();
    expect(matchRoutes(routes, "/offers/42")?.at(-1)?.params).toEqual({ id: "42" });
    expect(Object.getOwnPropertySymbols(routes)).toHaveLength(1);
    expect(matchRoutes(routes, "/search")?.at(-1)?.route.id).toBe("search");

    const other = [{ id: "root", path: "/", children: [{ id: "requests", path: "requests/:id" }] }];
    expect(matchRoutes(other, "/offers/42")).toBeNull();
    expect(matchRoutes(other, "/requests/7")?.at(-1)?.route.id).toBe("requests");
  });

  it("still matches a frozen array, which it cannot annotate", () => {
    const routes = tree();
    Object.freeze(routes);
    expect(matchRoutes(routes, "/offers/9")?.at(-1)?.params).toEqual({ id: "9" });
  });
});
