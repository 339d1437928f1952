// Forms generated from an inquiry's response_schema (JSON Schema).
//
// Small steps, each a function:
//   buildModel(schema)           schema → a tree of fields (pure)
//   renderForm(model)            fields → labelled, accessible controls; read() gives back {value, problems}
//   validate(model, value)       the client-side checks (pure): [{path, message}] with JSON-pointer paths, like the
//                                server's 422 details, so both kinds of error land next to the field they name
//   collect(model, form)         what submitting sends, and every problem found before sending
// Whatever the form does not understand becomes a JSON text area for that field; keywords it does not check
// (if/then/else, not, dependentRequired, …) are left to the server, whose 422 shows up by the field it names.

import { h, uniqueId } from './dom.js';
import { humanize } from './format.js';

const STRUCTURAL = ['oneOf', 'anyOf', 'allOf', '$ref', '$dynamicRef'];
const PRIMITIVES = ['string', 'number', 'integer', 'boolean'];
const RADIO_LIMIT = 4;

// ---------------------------------------------------------------------------------------------------------------
// Model

/** Appends a property name to a JSON pointer (RFC 6901 escaping). */
export function pointer(parent, key) {
  return `${parent}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function hasOwn(object, key) {
  return object !== null && typeof object === 'object' && Object.prototype.hasOwnProperty.call(object, key);
}

/** The one type a schema declares, treating ["string", "null"] as "string"; null when it declares none or several. */
function declaredType(schema) {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const real = type.filter((t) => t !== 'null');
    if (real.length === 1) return real[0];
  }
  return null;
}

function kindOf(schema, isRoot) {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return 'json';
  if (!isRoot && STRUCTURAL.some((keyword) => hasOwn(schema, keyword))) return 'json';
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return 'enum';
  if (hasOwn(schema, 'const')) return 'enum';
  const type = declaredType(schema) ?? (hasOwn(schema, 'properties') ? 'object' : null);
  if (type === 'object') {
    return schema.properties && typeof schema.properties === 'object' && Object.keys(schema.properties).length > 0
      ? 'object' : 'json';
  }
  if (type === 'array') {
    const items = schema.items;
    if (!items || typeof items !== 'object' || STRUCTURAL.some((keyword) => hasOwn(items, keyword))) return 'json';
    const itemKind = kindOf(items, false);
    return itemKind === 'enum' || PRIMITIVES.includes(itemKind) ? 'array' : 'json';
  }
  if (PRIMITIVES.includes(type)) return type;
  return 'json';
}

/**
 * Whether a (sub)schema's value is secret: `secret: true` (the server masks it everywhere but in the execution),
 * or `writeOnly: true` / `format: password` (hidden by the UI only).
 */
export function isSecret(schema) {
  return Boolean(schema) && typeof schema === 'object'
    && (schema.secret === true || schema.writeOnly === true || schema.format === 'password');
}

/**
 * The field tree for a schema. Each field: {kind, path, name, label, help, required, schema, hasDefault, default,
 * secret} plus, by kind: fields (object), item (array), options (enum).
 */
export function buildModel(schema, options = {}) {
  return buildField(schema, {
    name: options.name ?? '',
    path: '',
    required: true,
    isRoot: true,
    label: options.label ?? (schema && typeof schema === 'object' && schema.title) ?? 'Response',
    inheritedDefault: undefined,
  });
}

function buildField(schema, { name, path, required, isRoot, label, inheritedDefault }) {
  const safe = schema && typeof schema === 'object' && !Array.isArray(schema) ? schema : {};
  const kind = schema === undefined || schema === null ? 'json' : kindOf(schema, isRoot);
  const hasDefault = hasOwn(safe, 'default') || inheritedDefault !== undefined;
  const field = {
    kind,
    path,
    name,
    label: label ?? safe.title ?? humanize(name),
    help: typeof safe.description === 'string' ? safe.description : '',
    required,
    schema: safe,
    hasDefault,
    default: hasOwn(safe, 'default') ? safe.default : inheritedDefault,
    secret: isSecret(safe),
    isRoot,
  };
  if (kind === 'object') {
    const requiredNames = Array.isArray(safe.required) ? safe.required : [];
    const objectDefault = field.default && typeof field.default === 'object' ? field.default : {};
    // required fields first (stored as jsonb, a schema does not keep its property order)
    field.fields = Object.entries(safe.properties)
      .filter(([, child]) => !(child && child.readOnly === true))
      .sort(([a], [b]) => Number(!requiredNames.includes(a)) - Number(!requiredNames.includes(b)))
      .map(([childName, child]) => buildField(child, {
        name: childName,
        path: pointer(path, childName),
        required: requiredNames.includes(childName),
        isRoot: false,
        label: undefined,
        inheritedDefault: objectDefault[childName],
      }));
  } else if (kind === 'enum') {
    field.options = Array.isArray(safe.enum) && safe.enum.length > 0 ? safe.enum : [safe.const];
  } else if (kind === 'array') {
    field.item = buildField(safe.items, {
      name: '', path: '', required: true, isRoot: false, label: `${field.label} item`, inheritedDefault: undefined,
    });
  }
  return field;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation (pure)

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function sameJson(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function codePoints(text) {
  return [...text].length;
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The client-side checks of `value` against the field tree: [{path, message}], empty when it passes. */
export function validate(field, value) {
  const problems = [];
  check(field, value, field.path, problems);
  return problems;
}

function check(field, value, path, problems) {
  const report = (message, at = path) => problems.push({ path: at, message });
  if (value === undefined) {
    if (field.required && !(field.isRoot && field.kind === 'object')) {
      report(field.kind === 'boolean' ? 'Choose Yes or No' : field.kind === 'enum' ? 'Choose an option'
        : 'This field is required');
    }
    return;
  }
  const s = field.schema;
  switch (field.kind) {
    case 'object':
      for (const child of field.fields) check(child, value?.[child.name], pointer(path, child.name), problems);
      break;
    case 'enum':
      if (!field.options.some((option) => sameJson(option, value))) report('Choose one of the listed options');
      break;
    case 'boolean':
      if (typeof value !== 'boolean') report('Choose Yes or No');
      break;
    case 'string':
      checkString(s, value, report);
      break;
    case 'number':
    case 'integer':
      checkNumber(field.kind, s, value, report);
      break;
    case 'array':
      checkArray(field, value, path, problems, report);
      break;
    default:
      break; // JSON fallback: the server checks it
  }
}

function checkString(s, value, report) {
  if (typeof value !== 'string') {
    report('Enter text');
    return;
  }
  const length = codePoints(value);
  if (typeof s.minLength === 'number' && length < s.minLength) {
    report(`Enter at least ${plural(s.minLength, 'character')}`);
  }
  if (typeof s.maxLength === 'number' && length > s.maxLength) {
    report(`Enter at most ${plural(s.maxLength, 'character')} (now ${length})`);
  }
  if (typeof s.pattern === 'string') {
    let regex = null;
    try {
      regex = new RegExp(s.pattern, 'u');
    } catch {
      regex = null; // a pattern JavaScript cannot read: the server decides
    }
    if (regex && !regex.test(value)) report(`Enter a value in the expected format (${s.pattern})`);
  }
  const problem = formatProblem(s.format, value);
  if (problem) report(problem);
}

/** Why `value` is not of the JSON Schema `format`, or null. Unknown formats are left to the server. */
export function formatProblem(format, value) {
  switch (format) {
    case 'email':
      return EMAIL.test(value) ? null : 'Enter an e-mail address, like name@example.com';
    case 'uri':
    case 'url': {
      try {
        const url = new URL(value);
        return url.protocol ? null : 'Enter a full address, like https://example.com';
      } catch {
        return 'Enter a full address, like https://example.com';
      }
    }
    case 'date': {
      const match = DATE.exec(value);
      const date = match && new Date(Date.UTC(+match[1], +match[2] - 1, +match[3]));
      return date && date.getUTCDate() === +match[3] && date.getUTCMonth() === +match[2] - 1
        ? null : 'Enter a date, like 2026-01-31';
    }
    case 'date-time':
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(value)
        && !Number.isNaN(Date.parse(value)) ? null : 'Enter a date and time';
    default:
      return null;
  }
}

function checkNumber(kind, s, value, report) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    report('Enter a number');
    return;
  }
  if (kind === 'integer' && !Number.isInteger(value)) report('Enter a whole number');
  if (typeof s.minimum === 'number' && value < s.minimum) report(`Enter ${s.minimum} or more`);
  if (typeof s.maximum === 'number' && value > s.maximum) report(`Enter ${s.maximum} or less`);
  if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) {
    report(`Enter more than ${s.exclusiveMinimum}`);
  }
  if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) {
    report(`Enter less than ${s.exclusiveMaximum}`);
  }
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0) {
    const ratio = value / s.multipleOf;
    if (Math.abs(ratio - Math.round(ratio)) > 1e-9) report(`Enter a multiple of ${s.multipleOf}`);
  }
}

function checkArray(field, value, path, problems, report) {
  if (!Array.isArray(value)) {
    report('Enter a list');
    return;
  }
  const s = field.schema;
  if (typeof s.minItems === 'number' && value.length < s.minItems) report(`Add at least ${plural(s.minItems, 'item')}`);
  if (typeof s.maxItems === 'number' && value.length > s.maxItems) {
    report(`Enter at most ${plural(s.maxItems, 'item')}`);
  }
  value.forEach((item, index) => {
    const at = pointer(path, index);
    if (item === undefined) {
      problems.push({ path: at, message: 'Enter a value or remove this item' });
    } else {
      check({ ...field.item, isRoot: false }, item, at, problems);
    }
  });
  if (s.uniqueItems === true) {
    const seen = new Map();
    value.forEach((item, index) => {
      const key = JSON.stringify(item);
      if (item !== undefined && seen.has(key)) {
        problems.push({
          path: pointer(path, index),
          message: `The same as item ${seen.get(key) + 1}: each item must be different`,
        });
      } else {
        seen.set(key, index);
      }
    });
  }
}

/** A short line saying what a field accepts ("Whole number from 0 to 4"), shown under its description. */
export function constraintHint(field) {
  const s = field.schema;
  const parts = [];
  if (field.kind === 'integer' || field.kind === 'number') {
    const noun = field.kind === 'integer' ? 'Whole number' : 'Number';
    const low = typeof s.minimum === 'number' ? s.minimum : null;
    const high = typeof s.maximum === 'number' ? s.maximum : null;
    if (low !== null && high !== null) parts.push(`${noun} from ${low} to ${high}`);
    else if (low !== null) parts.push(`${noun}, ${low} or more`);
    else if (high !== null) parts.push(`${noun}, ${high} or less`);
    else parts.push(noun);
    if (typeof s.exclusiveMinimum === 'number') parts.push(`more than ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === 'number') parts.push(`less than ${s.exclusiveMaximum}`);
    if (typeof s.multipleOf === 'number') parts.push(`a multiple of ${s.multipleOf}`);
  } else if (field.kind === 'string') {
    if (typeof s.minLength === 'number' && typeof s.maxLength === 'number') {
      parts.push(`${s.minLength} to ${plural(s.maxLength, 'character')}`);
    } else if (typeof s.maxLength === 'number') {
      parts.push(`At most ${plural(s.maxLength, 'character')}`);
    } else if (typeof s.minLength === 'number') {
      parts.push(`At least ${plural(s.minLength, 'character')}`);
    }
    const formats = { email: 'An e-mail address', uri: 'A full web address', url: 'A full web address',
      date: 'A date', 'date-time': 'A date and time' };
    if (formats[s.format]) parts.push(formats[s.format]);
    else if (s.format && s.format !== 'password') parts.push(`Format: ${s.format}`);
  } else if (field.kind === 'array') {
    const min = typeof s.minItems === 'number' ? s.minItems : null;
    const max = typeof s.maxItems === 'number' ? s.maxItems : null;
    if (min !== null && max !== null) parts.push(`${min} to ${plural(max, 'item')}`);
    else if (min !== null) parts.push(`At least ${plural(min, 'item')}`);
    else if (max !== null) parts.push(`Up to ${plural(max, 'item')}`);
    if (s.uniqueItems === true && field.item.kind !== 'enum') parts.push('no duplicates');
    const itemHint = field.item.kind !== 'enum' ? constraintHint(field.item) : '';
    const list = capitalise(parts.join(', '));
    return [list, itemHint ? `Each item: ${itemHint.charAt(0).toLowerCase()}${itemHint.slice(1)}` : '']
      .filter(Boolean).join('. ');
  }
  return capitalise(parts.join(', '));
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * What the form holds and what is wrong with it: {value, problems}. Problems are first what could not be read (a
 * number that is not one), then the checks of validate() on the rest.
 */
export function collect(model, form) {
  const { value, problems } = form.read();
  const unreadable = new Set(problems.map((problem) => problem.path));
  const checked = validate(model, value).filter((problem) => !unreadable.has(problem.path));
  return { value, problems: [...problems, ...checked] };
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

/**
 * Renders the field tree. Returns {element, read(), showErrors(problems), clearErrors(), controlFor(path)} where
 * read() gives {value, problems}: the response to send (only what was set, defaults included) and what could not
 * even be read (a number that is not one, JSON that does not parse).
 */
export function renderForm(model) {
  const controls = new Map(); // path → control, for placing errors
  const root = renderControl(model, model.path, controls);
  return {
    element: root.element,
    read() {
      const problems = [];
      let value = root.read(problems);
      if (value === undefined && model.kind === 'object') value = {};
      return { value, problems };
    },
    /** Puts each problem by the field its path names (or the nearest enclosing one); returns those placed nowhere. */
    showErrors(problems) {
      const unplaced = [];
      const byControl = new Map();
      for (const problem of problems) {
        const control = nearestControl(controls, problem.path ?? '');
        if (!control || control === root && model.kind === 'object') {
          unplaced.push(problem);
          continue;
        }
        if (!byControl.has(control)) byControl.set(control, []);
        byControl.get(control).push(problem.message);
      }
      byControl.forEach((messages, control) => control.setError(messages));
      return unplaced;
    },
    clearErrors() {
      controls.forEach((control) => control.setError([]));
    },
    /** The control for a JSON pointer (exact or nearest enclosing). */
    controlFor(path) {
      return nearestControl(controls, path);
    },
  };
}

function nearestControl(controls, path) {
  let current = path;
  for (;;) {
    if (controls.has(current)) return controls.get(current);
    if (current === '') return null;
    current = current.slice(0, current.lastIndexOf('/'));
  }
}

function renderControl(field, path, controls) {
  const renderers = {
    object: renderObject, boolean: renderBoolean, enum: renderEnum, string: renderText, number: renderText,
    integer: renderText, array: renderArray, json: renderJson,
  };
  const control = renderers[field.kind](field, path, controls);
  controls.set(path, control);
  return control;
}

/** Label, help and error parts shared by every field; `group` fields use fieldset/legend. */
function frame(field, path, { group }) {
  const id = uniqueId('field');
  const helpText = [field.help, constraintHint(field)].filter(Boolean);
  const helpId = helpText.length ? `${id}-help` : null;
  const errorId = `${id}-error`;
  const labelContent = [
    field.label,
    field.required && !field.isRoot
      ? h('span', { class: 'required-mark', 'aria-hidden': 'true' }, ' (required)') : null,
  ];
  const caption = group
    ? h('legend', { class: 'field-label' }, labelContent)
    : h('label', { class: 'field-label', for: id }, labelContent);
  const help = helpId ? h('div', { class: 'field-help', id: helpId }, helpText.map((text) => h('p', {}, text))) : null;
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const container = h(group ? 'fieldset' : 'div', {
    class: `field field-${field.kind}`,
    dataset: { path },
  });
  container.append(caption);
  if (help) container.append(help);
  container.append(error);
  const describedBy = [helpId, errorId].filter(Boolean).join(' ');
  if (group) container.setAttribute('aria-describedby', describedBy);
  return { id, container, error, describedBy };
}

function errorSetter(parts, inputs) {
  return (messages) => {
    const list = [...new Set(messages)];
    parts.error.hidden = list.length === 0;
    parts.error.textContent = list.length ? `Error: ${list.join('. ')}` : '';
    parts.container.classList.toggle('has-error', list.length > 0);
    inputs().forEach((input) => {
      if (list.length) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    });
  };
}

function renderObject(field, path, controls) {
  const children = field.fields.map((child) => renderControl(child, pointer(path, child.name), controls));
  let element;
  let parts = null;
  if (field.isRoot) {
    element = h('div', { class: 'form-fields', dataset: { path } }, children.map((child) => child.element));
  } else {
    parts = frame(field, path, { group: true });
    parts.container.append(h('div', { class: 'nested-fields' }, children.map((child) => child.element)));
    element = parts.container;
  }
  return {
    element,
    read(problems) {
      const value = {};
      let anySet = false;
      for (const [index, child] of children.entries()) {
        const childValue = child.read(problems);
        if (childValue !== undefined) {
          value[field.fields[index].name] = childValue;
          anySet = true;
        }
      }
      return anySet || field.required ? value : undefined;
    },
    setError: parts ? errorSetter(parts, () => []) : () => {},
    focus: () => children[0]?.focus(),
  };
}

function renderBoolean(field, path) {
  const parts = frame(field, path, { group: true });
  const name = uniqueId('choice');
  const radios = [true, false].map((choice) => h('input', {
    type: 'radio',
    name,
    value: String(choice),
    id: `${parts.id}-${choice}`,
    required: field.required,
    checked: field.hasDefault && field.default === choice,
  }));
  const choices = h('div', { class: 'choices choices-inline' }, radios.map((radio, index) => h('div',
    { class: 'choice' }, radio, h('label', { for: radio.id }, index === 0 ? 'Yes' : 'No'))));
  parts.container.append(choices);
  if (!field.required) {
    parts.container.append(h('button', {
      type: 'button',
      class: 'link-button clear-choice',
      onclick: () => radios.forEach((radio) => { radio.checked = false; }),
    }, 'Clear answer'));
  }
  return {
    element: parts.container,
    read() {
      const checked = radios.find((radio) => radio.checked);
      return checked ? checked.value === 'true' : undefined;
    },
    setError: errorSetter(parts, () => radios),
    focus: () => (radios.find((radio) => radio.checked) ?? radios[0]).focus(),
  };
}

function optionLabel(option) {
  if (option === null) return 'None';
  if (typeof option === 'boolean') return option ? 'Yes' : 'No';
  return typeof option === 'string' ? option : JSON.stringify(option);
}

function renderEnum(field, path) {
  const options = field.options;
  const defaultIndex = field.hasDefault ? options.findIndex((option) => sameJson(option, field.default)) : -1;
  if (options.length <= RADIO_LIMIT) {
    const parts = frame(field, path, { group: true });
    const name = uniqueId('choice');
    const radios = options.map((option, index) => h('input', {
      type: 'radio', name, value: String(index), id: `${parts.id}-${index}`, required: field.required,
      checked: index === defaultIndex,
    }));
    parts.container.append(h('div', { class: 'choices' }, radios.map((radio, index) => h('div', { class: 'choice' },
      radio, h('label', { for: radio.id }, optionLabel(options[index]))))));
    if (!field.required) {
      parts.container.append(h('button', {
        type: 'button', class: 'link-button clear-choice',
        onclick: () => radios.forEach((radio) => { radio.checked = false; }),
      }, 'Clear answer'));
    }
    return {
      element: parts.container,
      read() {
        const checked = radios.find((radio) => radio.checked);
        return checked ? options[Number(checked.value)] : undefined;
      },
      setError: errorSetter(parts, () => radios),
      focus: () => (radios.find((radio) => radio.checked) ?? radios[0]).focus(),
    };
  }
  const parts = frame(field, path, { group: false });
  const select = h('select', { id: parts.id, 'aria-describedby': parts.describedBy, required: field.required },
    h('option', { value: '' }, field.required ? 'Choose…' : '— none —'),
    options.map((option, index) => h('option', { value: String(index), selected: index === defaultIndex },
      optionLabel(option))));
  parts.container.append(select);
  return {
    element: parts.container,
    read: () => (select.value === '' ? undefined : options[Number(select.value)]),
    setError: errorSetter(parts, () => [select]),
    focus: () => select.focus(),
  };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Text from an input as the JSON value its field wants; {value} or {problem}. Empty text is "not set". */
export function parseInput(field, text) {
  const trimmed = field.kind === 'string' ? text : text.trim();
  if (trimmed === '') return { value: undefined };
  if (field.kind === 'number' || field.kind === 'integer') {
    const normalised = trimmed.replace(/[\s_]/g, '');
    if (!NUMBER.test(normalised)) {
      return { problem: field.kind === 'integer' ? 'Enter a whole number, like 42' : 'Enter a number, like 4.5' };
    }
    return { value: Number(normalised) };
  }
  if (field.kind === 'string' && field.schema.format === 'date-time') {
    // <input type="datetime-local"> gives local time without a zone: send it as UTC
    const date = new Date(trimmed);
    return Number.isNaN(date.getTime())
      ? { problem: 'Enter a date and time' }
      : { value: date.toISOString().replace('.000Z', 'Z') };
  }
  return { value: text };
}

function localDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const two = (n) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
  return `${day}T${two(date.getHours())}:${two(date.getMinutes())}`;
}

function isLongText(s) {
  return !s.format && !s.pattern && !(typeof s.maxLength === 'number' && s.maxLength <= 100);
}

function textInput(field, id, describedBy, initial, label) {
  const s = field.schema;
  const common = {
    id,
    'aria-describedby': describedBy,
    'aria-label': label,
    required: field.required,
    placeholder: Array.isArray(s.examples) && s.examples.length ? String(s.examples[0]) : null,
    autocomplete: 'off',
  };
  if (field.kind === 'string' && !field.secret && isLongText(s)) {
    return h('textarea', { ...common, rows: 3 }, initial ?? '');
  }
  let type = 'text';
  let value = initial;
  if (field.kind === 'number' || field.kind === 'integer') {
    return h('input', { ...common, type: field.secret ? 'password' : 'text',
      inputmode: field.kind === 'integer' ? 'numeric' : 'decimal',
      value: value === undefined ? '' : String(value), class: 'input-number' });
  }
  if (field.secret) type = 'password';
  else if (s.format === 'email') type = 'email';
  else if (s.format === 'uri' || s.format === 'url') type = 'url';
  else if (s.format === 'date') type = 'date';
  else if (s.format === 'date-time') {
    type = 'datetime-local';
    value = value === undefined ? undefined : localDateTime(value);
  }
  return h('input', { ...common, type, value: value ?? '', spellcheck: type === 'text' ? null : 'false',
    autocomplete: field.secret ? 'new-password' : 'off' });
}

function renderText(field, path) {
  const parts = frame(field, path, { group: false });
  const initial = field.hasDefault ? field.default : undefined;
  const input = textInput(field, parts.id, parts.describedBy, initial);
  parts.container.append(input);
  const s = field.schema;
  if (input.tagName === 'TEXTAREA' && typeof s.maxLength === 'number') {
    const counter = h('p', { class: 'char-count', 'aria-hidden': 'true' });
    const update = () => {
      const length = codePoints(input.value);
      counter.textContent = `${length} / ${s.maxLength}`;
      counter.classList.toggle('over', length > s.maxLength);
    };
    input.addEventListener('input', update);
    update();
    parts.container.append(counter);
  }
  return {
    element: parts.container,
    read(problems) {
      if (input.validity && input.validity.badInput) {
        problems.push({ path, message: 'Enter a complete value' });
        return undefined;
      }
      const parsed = parseInput(field, input.value);
      if (parsed.problem) problems.push({ path, message: parsed.problem });
      return parsed.value;
    },
    setError: errorSetter(parts, () => [input]),
    focus: () => input.focus(),
  };
}

function renderArray(field, path, controls) {
  const parts = frame(field, path, { group: true });
  const item = field.item;
  const s = field.schema;
  const initial = field.hasDefault && Array.isArray(field.default) ? field.default : [];

  if (item.kind === 'enum') {
    // a set of choices: one checkbox per option
    const boxes = item.options.map((option, index) => h('input', {
      type: 'checkbox', id: `${parts.id}-${index}`, value: String(index),
      checked: initial.some((value) => sameJson(value, option)),
    }));
    parts.container.append(h('div', { class: 'choices' }, boxes.map((box, index) => h('div', { class: 'choice' },
      box, h('label', { for: box.id }, optionLabel(item.options[index]))))));
    return {
      element: parts.container,
      read() {
        const chosen = boxes.filter((box) => box.checked).map((box) => item.options[Number(box.value)]);
        return chosen.length || field.required || field.hasDefault ? chosen : undefined;
      },
      setError: errorSetter(parts, () => boxes),
      focus: () => boxes[0]?.focus(),
    };
  }

  const list = h('ol', { class: 'array-items' });
  const rows = [];
  const addButton = h('button', { type: 'button', class: 'button button-secondary button-small add-item' },
    `Add ${field.label.toLowerCase().startsWith('add') ? 'item' : 'an item'}`);
  const emptyNote = h('p', { class: 'array-empty' }, 'No items.');

  const renumber = () => {
    rows.forEach((row, index) => {
      const position = index + 1;
      row.element.dataset.path = pointer(path, index);
      row.label.textContent = `${field.label}, item ${position}`;
      row.remove.setAttribute('aria-label', `Remove item ${position} of ${field.label}`);
      controls.set(pointer(path, index), row.control);
    });
    for (let index = rows.length; controls.has(pointer(path, index)); index += 1) controls.delete(pointer(path, index));
    emptyNote.hidden = rows.length > 0;
    addButton.disabled = typeof s.maxItems === 'number' && rows.length >= s.maxItems;
  };

  const addRow = (value, focus) => {
    const id = uniqueId('item');
    const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
    const label = h('label', { class: 'visually-hidden', for: id });
    const itemField = { ...item, required: true };
    let input;
    if (item.kind === 'boolean') {
      input = h('select', { id, 'aria-describedby': `${id}-error` },
        h('option', { value: '' }, 'Choose…'),
        h('option', { value: 'true', selected: value === true }, 'Yes'),
        h('option', { value: 'false', selected: value === false }, 'No'));
    } else {
      input = textInput(itemField, id, `${id}-error`, value);
      if (input.tagName === 'TEXTAREA') {
        input = h('input', {
          id, type: 'text', 'aria-describedby': `${id}-error`, value: value ?? '', autocomplete: 'off',
        });
      }
    }
    const remove = h('button', { type: 'button', class: 'button button-quiet button-small remove-item' }, 'Remove');
    const element = h('li', { class: 'array-item' },
      label, h('div', { class: 'array-item-row' }, input, remove), error);
    const row = { element, label, remove, input };
    const itemParts = { error, container: element };
    row.control = {
      element,
      read(problems) {
        if (item.kind === 'boolean') return input.value === '' ? undefined : input.value === 'true';
        const parsed = parseInput(itemField, input.value);
        if (parsed.problem) problems.push({ path: element.dataset.path, message: parsed.problem });
        return parsed.value;
      },
      setError: errorSetter(itemParts, () => [input]),
      focus: () => input.focus(),
    };
    remove.addEventListener('click', () => {
      const index = rows.indexOf(row);
      rows.splice(index, 1);
      element.remove();
      renumber();
      (rows[index]?.input ?? rows[index - 1]?.input ?? addButton).focus();
    });
    rows.push(row);
    list.append(element);
    renumber();
    if (focus) input.focus();
  };

  addButton.addEventListener('click', () => addRow(undefined, true));
  initial.forEach((value) => addRow(value, false));
  parts.container.append(list, emptyNote, addButton);
  renumber();

  return {
    element: parts.container,
    read(problems) {
      const values = rows.map((row) => row.control.read(problems));
      if (values.length === 0 && !field.required && !field.hasDefault) return undefined;
      return values;
    },
    setError: errorSetter(parts, () => []),
    focus: () => (rows[0]?.input ?? addButton).focus(),
  };
}

function renderJson(field, path) {
  const parts = frame(field, path, { group: false });
  const initial = field.hasDefault ? JSON.stringify(field.default, null, 2) : field.isRoot ? '{}' : '';
  const textarea = h('textarea', {
    id: parts.id, class: 'input-json', rows: 5, spellcheck: 'false', 'aria-describedby': parts.describedBy,
    required: field.required, autocomplete: 'off',
  }, initial);
  parts.container.append(textarea);
  const note = field.schema && Object.keys(field.schema).length
    ? h('details', { class: 'schema-details' }, h('summary', {}, 'Expected JSON'),
      h('pre', { class: 'code' }, JSON.stringify(field.schema, null, 2)))
    : null;
  parts.container.insertBefore(h('p', { class: 'field-help' }, 'Enter JSON.'), parts.error);
  if (note) parts.container.append(note);
  return {
    element: parts.container,
    read(problems) {
      if (textarea.value.trim() === '') return undefined;
      try {
        return JSON.parse(textarea.value);
      } catch (error) {
        problems.push({ path, message: `This is not valid JSON (${error.message})` });
        return undefined;
      }
    },
    setError: errorSetter(parts, () => [textarea]),
    focus: () => textarea.focus(),
  };
}
