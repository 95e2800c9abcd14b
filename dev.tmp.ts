import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";
import { randomUUID } from "node:crypto";
const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: "postgres://postgres:postgres@127.0.0.1:54991/dev" }) });
const org = await prisma.organization.findFirstOrThrow({ select: { id: true } });
const P = "The program combines diagnosis, coaching and access to finance for micro and small enterprises. ".repeat(2);
function rows(n: number, tag: string) { return Array.from({ length: n }, (_, i) => ({ id: randomUUID(), key: `perf-${tag}-${i}`, organizationId: org.id, title: "T " + i, summary: P, description: P.repeat(4), language: "es", themes: ["msme-finance"], modalities: ["workshop"], workingLanguages: ["es"], capacityPerYear: 2, costSharing: "shared", status: "draft" })); }
let t = performance.now();
await prisma.$transaction(async (tx) => { await tx.offer.createMany({ data: rows(1000, "a" + Date.now()) }); throw new Error("rollback"); }).catch(() => {});
console.log("createMany 1000", performance.now() - t);
t = performance.now();
await prisma.$transaction(async (tx) => {
  const r = rows(1000, "b" + Date.now()).map(r => ({ id: r.id, key: r.key, organization_id: r.organizationId, title: r.title, summary: r.summary, description: r.description, language: r.language, themes: r.themes, modalities: r.modalities, working_languages: r.workingLanguages, capacity_per_year: 2, cost_sharing: "shared", status: "draft" }));
  await tx.$executeRaw`INSERT INTO "offer" ("id","key","organization_id","title","summary","description","language","themes","modalities","working_languages","capacity_per_year","cost_sharing","status")
   SELECT "id","key","organization_id","title","summary","description","language","themes","modalities","working_languages","capacity_per_year","cost_sharing","status" FROM jsonb_to_recordset(${JSON.stringify(r)}::jsonb) AS s("id" uuid, "key" text, "organization_id" uuid, "title" text, "summary" text, "description" text, "language" text, "themes" text[], "modalities" text[], "working_languages" text[], "capacity_per_year" int, "cost_sharing" text, "status" text)`;
  throw new Error("rollback"); }).catch((e) => { if (e.message !== "rollback") console.log(e); });
console.log("raw jsonb 1000", performance.now() - t);
t = performance.now();
await prisma.$transaction(async (tx) => { for (let i = 0; i < 5; i++) await tx.offer.createMany({ data: rows(200, "c" + i + Date.now()) }); throw new Error("rollback"); }).catch(() => {});
console.log("createMany 5x200", performance.now() - t);
await prisma.$disconnect();
