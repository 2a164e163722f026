// The peer for batch throughput: json-rules-engine (https://github.com/CacheControl/json-rules-engine)
// evaluating the same rules file's conditions on the same JSON Lines, and writing the same summary
// record kneetriage batch --format summary writes (urgency, cause ids, fired rule ids; without the
// schema, file and line), so that bench/run.sh can check that both engines agree on every line.
// json-rules-engine only fires rules; what kneetriage does with the fired rules is restated here
// from the rules file: order by urgency, causes once each, and a cause whose kind the urgency
// withholds set aside (docs/rules-format.md, "Urgencies": withhold).
//
//   NODE_PATH=/tmp/x/node_modules node bench/jre_batch.js rules/knee.json < answers.jsonl
//
// Our conditions are json-rules-engine conditions already: named conditions become
// engine.setCondition, and a root that json-rules-engine does not take (a bare leaf) is wrapped in
// {"all": [...]}. The semantics are those of allowUndefinedFacts: true, as in kneetriage.
'use strict';

const fs = require('fs');
const readline = require('readline');
const { once } = require('events');
const { Engine } = require('json-rules-engine');

// `$`-keys are comments in a rules file.
function withoutComments(value) {
  if (Array.isArray(value)) return value.map(withoutComments);
  if (value !== null && typeof value === 'object') {
    const out = {};
    for (const [key, child] of Object.entries(value)) {
      if (!key.startsWith('$')) out[key] = withoutComments(child);
    }
    return out;
  }
  return value;
}

function asRoot(condition) {
  const clean = withoutComments(condition);
  return 'all' in clean || 'any' in clean ? clean : { all: [clean] };
}

async function main() {
  const rulesFile = process.argv[2];
  if (!rulesFile) {
    process.stderr.write('usage: node jre_batch.js RULES_FILE < answers.jsonl\n');
    process.exit(2);
  }
  const rules = JSON.parse(fs.readFileSync(rulesFile, 'utf8'));
  const urgencies = rules.urgencies.map((u) => u.id);  // highest first
  const lowest = urgencies.length - 1;
  const withheldKinds = rules.urgencies.map((u) => new Set(u.withhold || []));
  const causeKind = new Map((rules.causes || []).map((cause) => [cause.id, cause.kind]));

  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, condition] of Object.entries(rules.conditions || {})) {
    if (!name.startsWith('$')) engine.setCondition(name, asRoot(condition));
  }
  const byId = new Map();
  rules.rules.forEach((rule, index) => {
    const urgency = rule.then.urgency === undefined ? lowest : urgencies.indexOf(rule.then.urgency);
    byId.set(rule.id, { index, urgency, causes: rule.then.causes || [] });
    engine.addRule({ name: rule.id, conditions: asRoot(rule.when), event: { type: rule.id } });
  });

  const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let pending = [];
  const flush = async () => {
    if (pending.length === 0) return;
    if (!process.stdout.write(pending.join(''))) await once(process.stdout, 'drain');
    pending = [];
  };
  for await (const line of input) {
    if (line.trim() === '') continue;
    const { events } = await engine.run(JSON.parse(line));
    // kneetriage's order: highest urgency first, then file order; causes once each, in that order.
    const fired = events.map((event) => byId.get(event.type));
    fired.sort((a, b) => a.urgency - b.urgency || a.index - b.index);
    const level = fired.length > 0 ? fired[0].urgency : lowest;
    const causes = [];
    for (const rule of fired) {
      for (const cause of rule.causes) {
        const setAside = withheldKinds[level].has(causeKind.get(cause));
        if (!setAside && !causes.includes(cause)) causes.push(cause);
      }
    }
    const urgency = urgencies[level];
    const ids = fired.map((rule) => rules.rules[rule.index].id);
    pending.push(JSON.stringify({ urgency, causes, fired: ids }) + '\n');
    if (pending.length >= 1024) await flush();
  }
  await flush();
}

main().catch((error) => {
  process.stderr.write(`jre_batch: ${error.stack || error}\n`);
  process.exit(1);
});
