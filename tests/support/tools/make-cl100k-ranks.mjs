// Dev-time converter: writes cl100k_base's byte-pair rank table, as js-tiktoken (MIT) embeds it,
// into the compact file the exact tokenizer ships as a resource. Run it OUTSIDE the repository so
// node_modules never lands in git:
//   mkdir /tmp/tk && cd /tmp/tk && npm install js-tiktoken@1.0.21
//   node <repo>/tests/support/tools/make-cl100k-ranks.mjs <repo>
// Writes <repo>/core/stages/chunking/cl100k/cl100k_base.ranks: for rank 0, 1, 2, ... in order,
// one byte holding the token's length in bytes, then the token's bytes. Ranks are contiguous
// (checked here), so the position is the rank. Prints the SHA-256 of the table in OpenAI's
// .tiktoken text form ("base64 rank" lines), which tst_cl100ktokenizer recomputes from the
// shipped file and compares with OpenAI's published hash.
import { createRequire } from "module";
import crypto from "crypto";
import fs from "fs";
import path from "path";

const require = createRequire(path.join(process.cwd(), "package.json"));
const ranks = require("js-tiktoken/ranks/cl100k_base");
const repo = process.argv[2] ?? ".";

const byRank = [];
for (const line of ranks.bpe_ranks.split("\n")) {
    if (!line) continue;
    const [, offsetText, ...tokens] = line.split(" ");
    const offset = Number.parseInt(offsetText, 10);
    tokens.forEach((token, i) => { byRank[offset + i] = Buffer.from(token, "base64"); });
}
const parts = [];
let tiktokenText = "";
for (let rank = 0; rank < byRank.length; ++rank) {
    const token = byRank[rank];
    if (!token) throw new Error(`rank ${rank} is missing: the table is not contiguous`);
    if (token.length === 0 || token.length > 255) throw new Error(`rank ${rank} has ${token.length} bytes`);
    parts.push(Buffer.from([token.length]), token);
    tiktokenText += `${token.toString("base64")} ${rank}\n`;
}
const out = path.join(repo, "core/stages/chunking/cl100k/cl100k_base.ranks");
fs.writeFileSync(out, Buffer.concat(parts));
console.log(`${byRank.length} ranks written to ${out}`);
console.log(`sha256 of the .tiktoken form: ${crypto.createHash("sha256").update(tiktokenText).digest("hex")}`);
