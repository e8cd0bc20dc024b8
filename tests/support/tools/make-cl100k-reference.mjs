// Dev-time generator for the cl100k_base reference data used by tst_tokenestimator and for the
// single-token word list the token estimator ships. Needs js-tiktoken (pure JS, MIT, carries the
// cl100k_base ranks); run it OUTSIDE the repository so node_modules never lands in git:
//   mkdir /tmp/tk && cd /tmp/tk && npm install js-tiktoken
//   node <repo>/tests/support/tools/make-cl100k-reference.mjs <repo>
// Writes <repo>/tests/data/cl100k/reference.tsv  (category \t true token count \t escaped text)
//    and <repo>/core/stages/chunking/cl100kwords.txt (every cl100k token that is ASCII letters,
//    optionally with one leading space, one per line)
//    and <repo>/core/stages/chunking/cl100kchars.txt (every non-ASCII BMP character that is a
//    single token, on one line).
// Deterministic: a fixed-seed generator, so re-running gives the same files.
import { createRequire } from "module";
import fs from "fs";
import path from "path";

const require = createRequire(path.join(process.cwd(), "package.json"));
const { getEncoding } = require("js-tiktoken");
const enc = getEncoding("cl100k_base");
const repo = process.argv[2] ?? ".";

// ---- word list -------------------------------------------------------------------------------
const words = [];
for (let rank = 0; rank < 100256; ++rank) {
    let s;
    try { s = enc.decode([rank]); } catch { continue; }
    if (/^ ?[A-Za-z]{2,}$/.test(s)) words.push(s);
}
words.sort();
fs.writeFileSync(path.join(repo, "core/stages/chunking/cl100kwords.txt"), words.join("\n") + "\n");

// ---- single-token characters -----------------------------------------------------------------
// Every non-ASCII BMP character (not a surrogate) whose UTF-8 encoding is one cl100k token.
const chars = [];
for (let c = 0x80; c < 0x10000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const s = String.fromCodePoint(c);
    if (enc.encode(s).length === 1) chars.push(s);
}
fs.writeFileSync(path.join(repo, "core/stages/chunking/cl100kchars.txt"), chars.join("") + "\n");

// ---- samples ---------------------------------------------------------------------------------
let seed = 20261124;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = a => a[Math.floor(rnd() * a.length)];

const handProse = [
    "The committee met on Tuesday to review the proposal, but no decision was reached.",
    "Photosynthesis converts light energy into chemical energy stored in glucose.",
    "She said, \"I'll be there by half past seven,\" and then hung up without another word.",
    "It's a well-known fact that the mitochondria is the powerhouse of the cell.",
    "In 1969, Apollo 11 landed on the Moon; Neil Armstrong's first step was broadcast worldwide.",
    "The quarterly revenue rose 12.5% to $4.37 billion, beating analysts' expectations.",
    "Please refer to section 4.2(b) of the agreement for the indemnification clause.",
    "A state-of-the-art, energy-efficient heat pump can cut heating costs by up to 40 percent.",
    "Visit https://www.example.com/docs/getting-started?lang=en#install for installation notes.",
    "Dr. Smith, Ph.D., and Mrs. O'Connor arrived at 9:45 a.m. on 3/14/2023.",
    "Notwithstanding the aforementioned provisions, the lessee shall indemnify the lessor.",
    "Antidisestablishmentarianism is often cited as one of the longest words in English.",
    "The defendant's counsel argued that the evidence was circumstantial at best.",
    "Heavy rain is expected overnight, with gusts reaching 70 km/h along the coast.",
    "Tchaikovsky, Dvořák and Rachmaninoff were performed at the gala in Zürich.",
    "Our café serves crème brûlée, jalapeño poppers and a naïve little rosé.",
    "He couldn’t believe it — the “quick fix” had actually worked… for now.",
    "The algorithm runs in O(n log n) time and uses O(n) additional memory.",
    "Email support@example.org or call +1 (555) 010-4477 between 8am and 6pm EST.",
    "The NASA and ESA teams coordinated the launch with JAXA's ground stations.",
    "Whereas the parties wish to set forth their understanding, they hereby agree as follows:",
    "Quantum entanglement remains one of the most counterintuitive phenomena in physics.",
    "Wait... what?! You mean the report was due YESTERDAY??",
    "The recipe calls for 2 1/2 cups of flour, 3 eggs, and 150 g of unsalted butter.",
    "Hemingway's sparse prose contrasts sharply with Faulkner's labyrinthine sentences.",
    "The patient presented with acute dyspnea, tachycardia and bilateral pulmonary infiltrates.",
    "Mr. Nguyen and Ms. Szczepański co-authored the paper with Prof. Okonkwo.",
    "Version 3.11.4 fixes CVE-2023-24329 and improves startup time by ~25%.",
    "Ladies and gentlemen, thank you for joining us this evening.",
    "The thermostat's firmware (v2.0.17-beta) occasionally reboots under heavy load.",
];
const subjects = ["The board", "Our team", "The new policy", "A recent study", "The city council", "Most researchers",
    "The software update", "His grandmother", "The supply chain", "Every participant", "The museum's curator",
    "This chapter", "The engineers", "A small startup", "The senator", "The orchestra", "Local farmers"];
const verbs = ["announced", "suggested", "questioned", "demonstrated", "acknowledged", "postponed", "approved",
    "criticized", "documented", "investigated", "reconsidered", "summarized", "underestimated", "celebrated"];
const objects = ["the budget for next year", "a controversial amendment", "the results of the survey",
    "several unexpected side effects", "the long-term consequences", "an ambitious renovation plan",
    "the company's quarterly earnings", "the migration patterns of arctic terns", "a backlog of 1,284 requests",
    "the interoperability of legacy systems", "its commitment to sustainability", "the photosynthetic efficiency of algae",
    "the socioeconomic impact of automation", "a misunderstanding about the deadline", "the archaeological findings near Thessaloniki"];
const tails = ["", " yesterday", " in a statement", " after months of debate", " despite strong objections",
    " on 12 March 2024", " for the third time", ", according to sources familiar with the matter",
    " (see Appendix C)", " with remarkable candor", " at 3:30 p.m.", " in Q4 2025", ", citing \"operational concerns\""];
const enders = [".", ".", ".", ".", "!", "?", "..."];
function sentence() {
    let s = pick(subjects) + " " + pick(verbs) + " " + pick(objects) + pick(tails);
    if (rnd() < 0.3) s += ", and " + pick(subjects).toLowerCase() + " " + pick(verbs) + " " + pick(objects);
    return s + pick(enders);
}
function paragraph(n) {
    const parts = [];
    for (let i = 0; i < n; ++i) parts.push(rnd() < 0.3 ? pick(handProse) : sentence());
    return parts.join(" ");
}

const other = [
    ["digits", "3141592653589793238462643383279502884197169399375105820974944592"],
    ["digits", "Order #000123456 shipped 2024-01-15T08:30:00Z, tracking 1Z999AA10123456784."],
    ["digits", "0.000001 1e-9 6.022e23 -273.15 +42 1,000,000 12:34:56 192.168.0.1 ::1"],
    ["punct", "!!!??? ... --- === *** ### @@@ $$$ %%% ^^^ &&& ((( ))) [[[ ]]] {{{ }}} <<< >>> ||| ~~~"],
    ["punct", "«Bonjour», dit-il. “Hello” — ‘quoted’ – dash… • bullet © ® ™ ° € £ ¥ § ¶ † ‡"],
    ["code", "for (int i = 0; i < n; ++i) {\n    total += values[i] * weights[i];\n}\n"],
    ["code", "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n"],
    ["code", "const result = await fetch(`${baseUrl}/v1/embeddings`, { method: 'POST', headers });"],
    ["code", "SELECT id, stage, status FROM jobs WHERE not_before <= now() ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED;"],
    ["code", "QList<Docpipe::Chunk> chunkDocument(const QList<Docpipe::ParsedPage> &pages, const ChunkingConfig &config);"],
    ["code", "<div class=\"container\"><a href=\"/about\">About us</a><img src=\"logo.png\" alt=\"\"/></div>"],
    ["code", "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.0023,-0.0091]}]}"],
    ["code", "\t\tif (x) {\n\t\t\treturn y;\n\t\t}\n\n\n\n        indented    with    runs     of      spaces"],
    ["code", "getElementById XMLHttpRequest snake_case_identifier SCREAMING_CASE kebab-case-name __init__"],
    ["base64", "QmFzZTY0IGVuY29kZWQgdGV4dCBpcyBkZW5zZSBpbiB0b2tlbnMgYW5kIGJyZWFrcyBlc3RpbWF0b3Jz+/="],
    ["hex", "sha256: 223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffab2f4f55 deadbeefcafebabe"],
    ["url", "https://example.com/a/b/c?x=1&y=two#frag http://localhost:8080/api/v1/jobs/42 ftp://files.example.org/pub/"],
    ["nonlatin", "Привет, мир! Это пример русского текста для проверки токенизатора."],
    ["nonlatin", "Καλημέρα σας. Η γρήγορη καφέ αλεπού πηδάει πάνω από τον τεμπέλη σκύλο."],
    ["nonlatin", "東京は日本の首都であり、世界最大の都市圏の一つです。"],
    ["nonlatin", "机器学习是人工智能的一个分支，它使计算机能够从数据中学习。"],
    ["nonlatin", "한국어 문장은 띄어쓰기를 사용합니다. 토큰 수를 확인해 봅시다."],
    ["nonlatin", "مرحبا بالعالم. هذا نص عربي قصير لاختبار العد."],
    ["nonlatin", "नमस्ते दुनिया, यह हिंदी में एक छोटा वाक्य है।"],
    ["nonlatin", "Der Größenwahn übermäßiger Straßenbahnfahrer ärgert Bürgermeister Müller."],
    ["nonlatin", "L'été dernier, nous sommes allés à Besançon où il a plu à verse."],
    ["emoji", "Great job 🎉🎉 see you soon 👋🏽 ❤️ 🚀 🧪 🇩🇪"],
    ["whitespace", "a\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\nb \r\n \r\n \r\n c\t\t\t\t d"],
    ["mixed", "ThisIsCamelCase andTHISisWeIRD zZtTfF aAbBcC iPhone eBay McDonald's O'Reilly"],
    ["rare", "pneumonoultramicroscopicsilicovolcanoconiosis floccinaucinihilipilification hippopotomonstrosesquippedaliophobia"],
    ["rare", "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch supercalifragilisticexpialidocious"],
];

const rows = [];
for (const s of handProse) rows.push(["prose", s]);
for (let i = 0; i < 150; ++i) rows.push(["prose", sentence()]);
for (let i = 0; i < 80; ++i) rows.push(["prose", paragraph(2 + Math.floor(rnd() * 8))]);
for (let i = 0; i < 20; ++i) rows.push(["prose", [paragraph(3), paragraph(4), "# Heading " + (i + 1), paragraph(2)].join("\n\n")]);
for (const r of other) rows.push(r);
// Variants of the non-prose rows glued to prose, so the boundaries between kinds are covered too.
for (const [kind, text] of other) rows.push([kind, pick(handProse) + " " + text + " " + sentence()]);

const esc = s => s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r");
const out = ["# category\tcl100k_tokens\ttext (\\\\ \\t \\n \\r escaped); generated by tests/support/tools/make-cl100k-reference.mjs"];
for (const [kind, text] of rows) out.push(`${kind}\t${enc.encode(text).length}\t${esc(text)}`);
fs.writeFileSync(path.join(repo, "tests/data/cl100k/reference.tsv"), out.join("\n") + "\n");
console.log(`wrote ${words.length} words, ${chars.length} characters and ${rows.length} reference rows`);
