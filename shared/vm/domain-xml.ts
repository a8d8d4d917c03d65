// Position-preserving editing of libvirt domain XML (or any XML document). We parse with saxes only to
// learn WHERE each element is in the text, then edit by splicing text ranges, so everything we do not
// touch — comments, unknown elements, the qemu: namespace, quoting style, blank lines — stays byte for
// byte. Edits return a new string; re-parse it to edit further (documents are small).
import { SaxesParser } from 'saxes';

export interface XmlElement {
  /** Qualified name as written, e.g. `hostdev` or `qemu:commandline`. */
  name: string;
  /** Attribute values, decoded (entities resolved), by qualified name as written. */
  attributes: Record<string, string>;
  /** Offset of the `<` of the start tag. */
  start: number;
  /** Offset just after the `>` of the start tag. */
  startTagEnd: number;
  /** Offset of the `<` of the end tag (equals `end` for a self-closing element). */
  endTagStart: number;
  /** Offset just after the element (after `/>` or the end tag's `>`). */
  end: number;
  selfClosing: boolean;
  children: XmlElement[];
  parent: XmlElement | null;
  /** Text directly inside this element (children's text excluded), decoded. */
  text: string;
}

export interface XmlTree {
  source: string;
  root: XmlElement;
}

export class XmlEditError extends Error {}

/** Parses `source`; throws XmlEditError with the parser's line:column message on malformed XML. */
export function parseXml(source: string): XmlTree {
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let tagStart = 0;
  parser.on('opentagstart', (tag) => {
    // saxes reports this event after reading the character that ends the name.
    tagStart = source.lastIndexOf(`<${tag.name}`, parser.position);
  });
  parser.on('opentag', (tag) => {
    const parent = stack[stack.length - 1] ?? null;
    const attributes: Record<string, string> = {};
    for (const [key, value] of Object.entries(tag.attributes)) attributes[key] = typeof value === 'string' ? value : value.value;
    const element: XmlElement = {
      name: tag.name,
      attributes,
      start: tagStart,
      startTagEnd: parser.position,
      endTagStart: parser.position,
      end: parser.position,
      selfClosing: tag.isSelfClosing,
      children: [],
      parent,
      text: '',
    };
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('text', (text) => {
    const current = stack[stack.length - 1];
    if (current) current.text += text;
  });
  parser.on('closetag', () => {
    const element = stack.pop();
    if (!element) return;
    element.end = parser.position;
    element.endTagStart = element.selfClosing ? element.end : source.lastIndexOf('</', element.end - 1);
  });
  try {
    parser.write(source).close();
  } catch (error) {
    throw new XmlEditError(`Not well-formed XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!root) throw new XmlEditError('Not well-formed XML: no root element.');
  return { source, root };
}

/**
 * Elements below `from` along a slash-separated path of names, e.g. `devices/hostdev`. A step may carry
 * attribute conditions: `hostdev[type=pci]`, `feature[name=topoext][policy=require]`. `*` matches any name.
 */
export function findAll(from: XmlElement, path: string): XmlElement[] {
  let current = [from];
  for (const step of path.split('/').filter(Boolean)) {
    const match = /^([^[\]]+)((?:\[[^\]=]+=[^\]]*\])*)$/.exec(step);
    if (!match) throw new XmlEditError(`Bad element path step "${step}".`);
    const name = match[1] ?? '';
    const conditions = [...(match[2] ?? '').matchAll(/\[([^\]=]+)=([^\]]*)\]/g)].map((c): [string, string] => [c[1] ?? '', c[2] ?? '']);
    current = current.flatMap((el) =>
      el.children.filter((child) => (name === '*' || child.name === name) && conditions.every(([k, v]) => child.attributes[k] === v)),
    );
  }
  return current;
}

export const findFirst = (from: XmlElement, path: string): XmlElement | null => findAll(from, path)[0] ?? null;

/** Every element of the tree, depth first, document order. */
export function allElements(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(allElements)];
}

export const escapeAttribute = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;');

export const escapeText = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const lineStartOf = (source: string, offset: number): number => source.lastIndexOf('\n', offset - 1) + 1;

/** The whitespace before `element` on its line, or null when something else precedes it there. */
function leadingIndent(source: string, element: XmlElement): string | null {
  const before = source.slice(lineStartOf(source, element.start), element.start);
  return /^[ \t]*$/.test(before) ? before : null;
}

/** Indentation one level deeper than `parent`, learned from its children or the document. */
function childIndent(source: string, parent: XmlElement): string {
  for (const child of parent.children) {
    const indent = leadingIndent(source, child);
    if (indent !== null) return indent;
  }
  const own = leadingIndent(source, parent) ?? '';
  return own + indentUnit(source, parent);
}

function indentUnit(source: string, near: XmlElement): string {
  let el: XmlElement | null = near;
  while (el) {
    const own = leadingIndent(source, el);
    for (const child of el.children) {
      const indent = leadingIndent(source, child);
      if (own !== null && indent !== null && indent.startsWith(own) && indent.length > own.length) return indent.slice(own.length);
    }
    el = el.parent;
  }
  return '  ';
}

/** Re-indents a fragment written at column 0 (lines after the first keep their relative indentation). */
const indentFragment = (fragment: string, indent: string): string =>
  fragment
    .replace(/\s+$/, '')
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : indent + line))
    .join('\n');

export interface InsertOptions {
  /** Insert just before this child (default: after the last child). */
  before?: XmlElement;
}

/**
 * Inserts `fragment` (XML text written at column 0, may span lines) as a child of `parent`, on its own
 * lines, indented like the siblings. Removing the inserted element with removeElement gives back the
 * original text exactly.
 */
export function insertChild(source: string, parent: XmlElement, fragment: string, options: InsertOptions = {}): string {
  parseXml(`<x>${fragment}</x>`); // refuse a malformed fragment before touching the document
  const indent = childIndent(source, parent);
  const block = indentFragment(fragment, indent);
  const ref = options.before;
  if (ref) {
    if (ref.parent !== parent) throw new XmlEditError(`<${ref.name}> is not a child of <${parent.name}>.`);
    const refIndent = leadingIndent(source, ref);
    if (refIndent !== null) {
      const at = lineStartOf(source, ref.start);
      return source.slice(0, at) + block + '\n' + source.slice(at);
    }
    return source.slice(0, ref.start) + block.trimStart() + source.slice(ref.start);
  }
  if (parent.selfClosing) {
    const parentIndent = leadingIndent(source, parent) ?? '';
    const tagClose = source.lastIndexOf('/', parent.end - 1);
    const openTag = source.slice(parent.start, tagClose).replace(/\s+$/, '');
    return `${source.slice(0, parent.start)}${openTag}>\n${block}\n${parentIndent}</${parent.name}>${source.slice(parent.end)}`;
  }
  const endLineStart = lineStartOf(source, parent.endTagStart);
  const endTagAlone = /^[ \t]*$/.test(source.slice(endLineStart, parent.endTagStart)) && endLineStart > parent.startTagEnd;
  if (endTagAlone) return source.slice(0, endLineStart) + block + '\n' + source.slice(endLineStart);
  const parentIndent = leadingIndent(source, parent) ?? '';
  return `${source.slice(0, parent.endTagStart)}\n${block}\n${parentIndent}${source.slice(parent.endTagStart)}`;
}

/** Removes `element`; when it sits alone on its lines, those whole lines go (the inverse of insertChild). */
export function removeElement(source: string, element: XmlElement): string {
  if (!element.parent) throw new XmlEditError('The root element cannot be removed.');
  const lineStart = lineStartOf(source, element.start);
  const newline = source.indexOf('\n', element.end);
  const lineEnd = newline === -1 ? source.length : newline + 1;
  const aloneBefore = /^[ \t]*$/.test(source.slice(lineStart, element.start));
  const aloneAfter = /^[ \t]*\r?$/.test(source.slice(element.end, newline === -1 ? source.length : newline));
  if (aloneBefore && aloneAfter) return source.slice(0, lineStart) + source.slice(lineEnd);
  return source.slice(0, element.start) + source.slice(element.end);
}

/** Replaces the whole element (start tag to end tag) with `fragment`, keeping its indentation. */
export function replaceElement(source: string, element: XmlElement, fragment: string): string {
  parseXml(`<x>${fragment}</x>`);
  const indent = leadingIndent(source, element) ?? '';
  const block = indentFragment(fragment, indent).slice(indent.length);
  return source.slice(0, element.start) + block + source.slice(element.end);
}

/** Attribute name/value ranges inside a start tag, as written. */
function attributeRanges(source: string, element: XmlElement): { name: string; start: number; end: number }[] {
  const tag = source.slice(element.start, element.startTagEnd);
  const ranges: { name: string; start: number; end: number }[] = [];
  const re = /\s([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')/g;
  for (const m of tag.matchAll(re)) {
    const start = element.start + (m.index ?? 0);
    ranges.push({ name: m[1] ?? '', start, end: start + m[0].length });
  }
  return ranges;
}

/** Sets (or adds, after the existing ones) an attribute, in the quote style the tag already uses. */
export function setAttribute(source: string, element: XmlElement, name: string, value: string): string {
  const ranges = attributeRanges(source, element);
  const quote = ranges.length > 0 && !/=\s*'/.test(source.slice(element.start, element.startTagEnd)) ? '"' : "'";
  const written = ` ${name}=${quote}${escapeAttribute(value)}${quote}`;
  const existing = ranges.find((r) => r.name === name);
  if (existing) return source.slice(0, existing.start) + written + source.slice(existing.end);
  const last = ranges[ranges.length - 1];
  const at = last ? last.end : element.start + 1 + element.name.length;
  return source.slice(0, at) + written + source.slice(at);
}

/** Removes an attribute (no change when absent). */
export function removeAttribute(source: string, element: XmlElement, name: string): string {
  const existing = attributeRanges(source, element).find((r) => r.name === name);
  return existing ? source.slice(0, existing.start) + source.slice(existing.end) : source;
}

/**
 * Makes sure the root element declares `xmlns:prefix="uri"`. Throws when the prefix is already bound to
 * another URI (rebinding would silently change the meaning of the document).
 */
export function ensureNamespace(source: string, prefix: string, uri: string): string {
  const { root } = parseXml(source);
  const key = `xmlns:${prefix}`;
  const current = root.attributes[key];
  if (current === uri) return source;
  if (current !== undefined) throw new XmlEditError(`The prefix "${prefix}" is already bound to ${current}, not ${uri}.`);
  return setAttribute(source, root, key, uri);
}

/** Returns the child of `parent` named `name`, creating `<name/>` when missing (with the reparsed tree). */
export function ensureChild(source: string, parentPath: string, name: string): { source: string; element: XmlElement } {
  const tree = parseXml(source);
  const parent = parentPath === '' ? tree.root : findFirst(tree.root, parentPath);
  if (!parent) throw new XmlEditError(`No <${parentPath}> element in the document.`);
  const existing = findFirst(parent, name);
  if (existing) return { source, element: existing };
  const next = insertChild(source, parent, `<${name}/>`);
  const again = parseXml(next);
  const parentAgain = parentPath === '' ? again.root : findFirst(again.root, parentPath);
  const element = parentAgain ? findAll(parentAgain, name).at(-1) : undefined;
  if (!element) throw new XmlEditError(`Could not create <${name}>.`);
  return { source: next, element };
}
