/**
 * Finds text a user would read that is written in the extension's code instead of coming from
 * `_locales/en/messages.json`. Read with the TypeScript compiler's own parser, so comments and types never count.
 *
 * What counts as a literal UI string:
 * - JSX text with a letter in it (`<p>Saved</p>`);
 * - a string with a letter given to a user-facing JSX attribute (`title`, `aria-label`, `placeholder`, …), or
 *   shown as a JSX child through a condition (`{busy ? 'Saving…' : 'Save'}`);
 * - a string with a letter under a user-facing property (`title: 'Alongside'`, `message: …`, `label: …`);
 * - anywhere else, a string that reads as prose (two words) and not as code (no `{};<>[]#=/\`): the sentences of
 *   errors, notifications and statuses built in plain TypeScript;
 * - in an HTML entry page, text between tags (the `<title>` is set from the messages by the page's script).
 * The platform adapters are read for JSX only: their strings are the call pages' own text and selectors that they
 * match (in the platforms' languages), and the platforms' brand names ("Google Meet"), which are not translated.
 * Not counted: module specifiers, console output (for developers), message names (given to `t()`/`tCount()` or kept
 * in tables of keys).
 */
import ts from 'typescript';

export interface Literal {
  file: string;
  line: number;
  text: string;
}

const USER_ATTRIBUTES = new Set([
  'title',
  'aria-label',
  'aria-description',
  'aria-roledescription',
  'aria-valuetext',
  'aria-placeholder',
  'placeholder',
  'alt',
  'label',
]);
const USER_PROPERTIES = new Set(['title', 'label', 'message', 'text', 'placeholder', 'description', 'heading', 'hint', 'detail', 'body']);
const HAS_LETTER = /\p{L}/u;
const PROSE = /\p{L}{2,}[,.:!?…—–'’-]*\s+[—–-]?\s*\p{L}{2,}/u;
const CODE = /[{};<>[\]#=/\\]/;
const MESSAGE_FUNCTIONS = new Set(['t', 'tCount']);

function isStringy(node: ts.Node): node is ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateLiteralLikeNode {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node);
}

function calleeName(call: ts.CallExpression): string {
  return call.expression.getText();
}

/** Inside a console.* call or a t()/tCount() call's arguments, or a module specifier. */
function isExempt(node: ts.Node): boolean {
  for (let p: ts.Node | undefined = node.parent; p; p = p.parent) {
    if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isImportTypeNode(p) || ts.isExternalModuleReference(p)) return true;
    if (ts.isCallExpression(p)) {
      const name = calleeName(p);
      if (name.startsWith('console.')) return true;
      const key = p.arguments[0];
      if (MESSAGE_FUNCTIONS.has(name) && key && key.pos <= node.pos && node.end <= key.end) return true;
      if (name === 'import' || name === 'require') return true;
    }
  }
  return false;
}

/** Operators whose string operand is compared or looked up, not shown. */
const TESTS = [
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.InKeyword,
];

/** The literal is the value, or part of the value, of a JSX attribute that is not read by people (`class`, `id`, …). */
function inOtherAttribute(node: ts.Node): boolean {
  let p = node.parent;
  while (p && (ts.isConditionalExpression(p) || ts.isBinaryExpression(p) || ts.isParenthesizedExpression(p) || ts.isTemplateSpan(p) || ts.isTemplateExpression(p) || ts.isJsxExpression(p))) p = p.parent;
  return !!p && ts.isJsxAttribute(p) && !USER_ATTRIBUTES.has(p.name.getText());
}

/** The literal is shown as a JSX child or a user-facing attribute value, possibly through ?:, ||, ??, && or +. */
function shownByJsx(node: ts.Node): boolean {
  let p = node.parent;
  while (p && (ts.isConditionalExpression(p) || ts.isBinaryExpression(p) || ts.isParenthesizedExpression(p) || ts.isTemplateSpan(p) || ts.isTemplateExpression(p))) {
    if (ts.isConditionalExpression(p) && p.condition.pos <= node.pos && node.end <= p.condition.end) return false;
    if (ts.isBinaryExpression(p) && TESTS.includes(p.operatorToken.kind)) return false;
    p = p.parent;
  }
  if (!p) return false;
  if (ts.isJsxExpression(p)) {
    const holder = p.parent;
    if (ts.isJsxAttribute(holder)) return USER_ATTRIBUTES.has(holder.name.getText());
    return true;
  }
  if (ts.isJsxAttribute(p)) return USER_ATTRIBUTES.has(p.name.getText());
  return false;
}

function underUserProperty(node: ts.Node): boolean {
  let p = node.parent;
  while (p && (ts.isConditionalExpression(p) || ts.isBinaryExpression(p) || ts.isParenthesizedExpression(p) || ts.isTemplateSpan(p) || ts.isTemplateExpression(p))) p = p.parent;
  return !!p && ts.isPropertyAssignment(p) && p.initializer.pos <= node.pos && USER_PROPERTIES.has(p.name.getText().replace(/['"]/g, ''));
}

export function findLiteralsInScript(
  file: string,
  source: string,
  messageNames: ReadonlySet<string> = new Set(),
  { platformData = false }: { platformData?: boolean } = {},
): Literal[] {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, kind);
  const found: Literal[] = [];
  const add = (node: ts.Node, text: string) =>
    found.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, text: text.trim().slice(0, 80) });
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) {
      if (HAS_LETTER.test(node.text)) add(node, node.text);
    } else if (ts.isJsxAttribute(node) && node.initializer && ts.isStringLiteral(node.initializer)) {
      if (USER_ATTRIBUTES.has(node.name.getText()) && HAS_LETTER.test(node.initializer.text)) add(node, node.initializer.text);
    } else if (isStringy(node) && !ts.isJsxAttribute(node.parent) && !isExempt(node)) {
      const text = node.text;
      if (messageNames.has(text)) {
        // a message name in a table of keys
      } else if (ts.isPropertyAssignment(node.parent) && node.parent.name === node) {
        // a quoted property name
      } else if (ts.isElementAccessExpression(node.parent) && node.parent.argumentExpression === node) {
        // obj['key']
      } else if (HAS_LETTER.test(text) && (shownByJsx(node) || (!platformData && underUserProperty(node)))) {
        add(node, text);
      } else if (!platformData && PROSE.test(text) && !CODE.test(text) && !inOtherAttribute(node)) {
        add(node, text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Text between the tags of an HTML page, outside <script> and <style>. */
export function findLiteralsInHtml(file: string, source: string): Literal[] {
  const found: Literal[] = [];
  const stripped = source.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, (m) => m.replace(/[^\n]/g, ' ')).replace(/<!--[\s\S]*?-->/g, (m) => m.replace(/[^\n]/g, ' '));
  for (const match of stripped.matchAll(/>([^<]*)</g)) {
    const text = match[1] ?? '';
    if (HAS_LETTER.test(text)) {
      const line = source.slice(0, match.index).split('\n').length;
      found.push({ file, line, text: text.trim().slice(0, 80) });
    }
  }
  return found;
}

/**
 * Every string literal of a script and every `__MSG_name__`: a message is in use when its name (or, for a plural
 * pair, its base) is one of them. Keys may sit in typed tables (`Record<Kind, MessageKey>`) rather than in t() calls.
 */
export function stringsOf(file: string, source: string): string[] {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, kind);
  const strings: string[] = [];
  const visit = (node: ts.Node) => {
    if (isStringy(node)) strings.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  for (const match of source.matchAll(/__MSG_([A-Za-z0-9_@]+)__/g)) strings.push(match[1] ?? '');
  return strings;
}
