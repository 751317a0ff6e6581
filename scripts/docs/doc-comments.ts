/**
 * The doc comments of an object literal's properties in a source file, found with the TypeScript
 * compiler's parser: the error and exit codes are described where they are defined, and the
 * reference page is made from those descriptions.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** Each property of `const <name> = { … }` (through `as const` and `satisfies`) with its doc comment, in source order; '' when it has none. */
export function propertyDocs(file: string, name: string): Map<string, string> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  let literal: ts.ObjectLiteralExpression | null = null;
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name && node.initializer) {
      let value: ts.Expression = node.initializer;
      while (ts.isAsExpression(value) || ts.isSatisfiesExpression(value) || ts.isParenthesizedExpression(value)) value = value.expression;
      if (ts.isObjectLiteralExpression(value)) literal = value;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!literal) throw new Error(`${file}: no object literal named ${name}.`);
  const docs = new Map<string, string>();
  const text = source.getFullText();
  for (const property of (literal as ts.ObjectLiteralExpression).properties) {
    if (!ts.isPropertyAssignment(property) || !(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) continue;
    // The comment as written, not as JSDoc parses it: an `@scope/package` in it is text, not a tag.
    const doc = (ts.getLeadingCommentRanges(text, property.getFullStart()) ?? []).filter((range) => text.startsWith('/**', range.pos)).at(-1);
    const comment = doc ? text.slice(doc.pos + 3, doc.end - 2).replace(/^\s*\*(?!\/)/gm, ' ') : '';
    docs.set(property.name.text, comment.replace(/\s+/g, ' ').trim());
  }
  return docs;
}
