import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as contract from './contract.js';
import * as core from './index.js';

const sourceDir = path.dirname(fileURLToPath(import.meta.url));

/**
 * The specifiers a module loads when it runs. The build uses `verbatimModuleSyntax`, so only
 * `import type` and `export type` declarations are erased; `import { type X }` still loads its module.
 */
function runtimeSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && node.importClause?.phaseModifier !== ts.SyntaxKind.TypeKeyword) {
      specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      const [argument] = node.arguments;
      specifiers.push(argument && ts.isStringLiteralLike(argument) ? argument.text : '<computed>');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

/** Every module of this package and every package that loading `entry` loads, following runtime imports only. */
function reachedFrom(entry: string): { modules: string[]; packages: string[] } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const queue = [path.join(sourceDir, entry)];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (modules.has(file)) continue;
    modules.add(file);
    for (const specifier of runtimeSpecifiers(file)) {
      if (specifier.startsWith('.')) queue.push(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  }
  return { modules: [...modules].map((file) => path.relative(sourceDir, file)).sort(), packages: [...packages].sort() };
}

describe('@vad/core/contract', () => {
  it('loads the block helpers, kinds, errors and zod, and nothing of the engine', () => {
    expect(reachedFrom('contract.ts')).toEqual({
      modules: ['blocks.ts', 'contract.ts', 'errors.ts', 'image-marker.ts', 'kinds.ts'],
      packages: ['zod'],
    });
  });

  it('follows imports far enough to see the engine where it is loaded', () => {
    const { modules, packages } = reachedFrom('index.ts');
    expect(modules).toEqual(expect.arrayContaining(['compile.ts', 'compile/levels.ts', 'workflow/step.ts', 'registry.ts', 'plugins.ts', 'image.ts']));
    expect(packages).toEqual(expect.arrayContaining(['zod', 'sharp', 'node:fs']));
  });

  it('hands a plugin the same objects as the package root: one zod, one set of errors', () => {
    expect(contract.z).toBe(core.z);
    expect(contract.field).toBe(core.field);
    expect(contract.defineBlock).toBe(core.defineBlock);
    expect(contract.kinds).toBe(core.kinds);
    expect(contract.WorkflowCompileError).toBe(core.WorkflowCompileError);
  });
});
