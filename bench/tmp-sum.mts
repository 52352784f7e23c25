import { cpuSummary } from "./lib/profile-summary.ts";
const f = process.argv[2]!; const n = Number(process.argv[3] ?? 1200);
const s = cpuSummary(f, 30);
console.log(`busy ${(s.totalUs / n).toFixed(0)} µs per task, idle ${(s.idleUs/n).toFixed(0)}`);
for (const x of s.byFunction) console.log(`${(x.amount / n).toFixed(1).padStart(8)} µs  ${x.name}`);
