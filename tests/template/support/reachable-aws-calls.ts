import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import ts from 'typescript';
import { esbuildOptions } from '../../../tooling/build';
import type { FunctionDefinition } from '../../../tooling/template';

/** IAM service prefix of each AWS SDK v3 package whose commands the code sends with the function's role. */
const SERVICE_OF_PACKAGE: Record<string, string> = {
  '@aws-sdk/client-cloudwatch': 'cloudwatch',
  '@aws-sdk/client-codecommit': 'codecommit',
  '@aws-sdk/client-codebuild': 'codebuild',
  '@aws-sdk/client-codedeploy': 'codedeploy',
  '@aws-sdk/client-codepipeline': 'codepipeline',
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/client-lambda': 'lambda',
  '@aws-sdk/client-secrets-manager': 'secretsmanager',
  '@aws-sdk/client-sns': 'sns',
  '@aws-sdk/client-sqs': 'sqs',
  '@aws-sdk/client-ssm': 'ssm',
};

/** API operations whose IAM action has another name (Service Authorization Reference). */
const IAM_ACTION_OF_OPERATION: Record<string, string> = { 'lambda:Invoke': 'lambda:InvokeFunction' };

/** The document client's commands are the DynamoDB API's, renamed. */
const DOCUMENT_CLIENT_ACTIONS: Record<string, string> = {
  GetCommand: 'dynamodb:GetItem',
  PutCommand: 'dynamodb:PutItem',
  UpdateCommand: 'dynamodb:UpdateItem',
  DeleteCommand: 'dynamodb:DeleteItem',
  QueryCommand: 'dynamodb:Query',
  ScanCommand: 'dynamodb:Scan',
  BatchGetCommand: 'dynamodb:BatchGetItem',
  BatchWriteCommand: 'dynamodb:BatchWriteItem',
  TransactGetCommand: 'dynamodb:TransactGetItems',
  TransactWriteCommand: 'dynamodb:TransactWriteItems',
};

/** Libraries that call AWS for the code that imports them (import path → actions). */
const LIBRARY_ACTIONS: Record<string, string[]> = {
  '@aws-lambda-powertools/parameters/secrets': ['secretsmanager:GetSecretValue'],
  '@aws-lambda-powertools/parameters/ssm': ['ssm:GetParameter', 'ssm:GetParameters'],
};

/**
 * Packages whose calls are signed with other credentials than the function's role: the invoke actions read
 * input artifacts with the job's temporary artifact credentials (layers/action-runtime/src/input-artifacts.ts).
 */
const OTHER_CREDENTIALS = new Set(['@aws-sdk/client-s3']);

export interface ReachableCalls {
  /** IAM actions, e.g. `dynamodb:GetItem`. */
  actions: Set<string>;
  /** DynamoDB indexes a reachable Query names, and whether some Query reads the base table. */
  queriedIndexes: Set<string>;
  queriesBaseTable: boolean;
  /** Source files that put code into the bundle. */
  sources: string[];
}

/**
 * What a function's bundle can call: esbuild bundles its entry point (the template's BuildProperties), and the
 * metafile names the source files that contributed code. In those files, every SDK command built with `new`
 * and imported from an AWS SDK package is an IAM action the role must allow.
 */
export async function reachableAwsCalls(fn: FunctionDefinition): Promise<ReachableCalls> {
  const outDir = mkdtempSync(join(tmpdir(), 'pcp-reach-'));
  const result = await build({
    ...esbuildOptions(fn, outDir),
    write: false,
    minify: false,
    sourcemap: false,
  });
  const output = Object.values(result.metafile?.outputs ?? {}).find((candidate) => candidate.entryPoint);
  const sources = Object.entries(output?.inputs ?? {})
    .filter(([path, input]) => input.bytesInOutput > 0 && !path.startsWith('node_modules/'))
    .map(([path]) => path);

  const actions = new Set<string>();
  const queriedIndexes = new Set<string>();
  let queriesBaseTable = false;
  const constants = stringConstants(sources);
  for (const path of sources) {
    const text = readFileSync(path, 'utf8');
    const importedFrom = new Map<string, string>();
    for (const match of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
      for (const name of String(match[1]).split(',')) {
        const local = name
          .trim()
          .split(/\s+as\s+/)
          .at(-1)
          ?.trim();
        if (local) importedFrom.set(local, String(match[2]));
      }
      for (const action of LIBRARY_ACTIONS[String(match[2])] ?? []) actions.add(action);
    }
    for (const { command, caller, imported } of commandsBuilt(path, text)) {
      // A store or gateway method counts only where some reachable code calls it.
      if (caller && !callers(caller, sources, path)) continue;
      const source = importedFrom.get(imported);
      if (!source || OTHER_CREDENTIALS.has(source)) continue;
      if (source === '@aws-sdk/lib-dynamodb') {
        const action = DOCUMENT_CLIENT_ACTIONS[command];
        if (!action) throw new Error(`${path}: unknown document-client command ${command}`);
        actions.add(action);
      } else if (SERVICE_OF_PACKAGE[source]) {
        const operation = `${SERVICE_OF_PACKAGE[source]}:${command.replace(/Command$/, '')}`;
        actions.add(IAM_ACTION_OF_OPERATION[operation] ?? operation);
      } else if (source.startsWith('@aws-sdk/')) {
        throw new Error(
          `${path}: ${command} from ${source}: add the package's IAM prefix to SERVICE_OF_PACKAGE`,
        );
      }
    }
    // The SDK's paginators (`paginateListActionExecutions(...)`) make their operation's calls.
    for (const match of text.matchAll(/(?<![\w$])paginate(\w+)\s*\(/g)) {
      const source = importedFrom.get(`paginate${match[1]}`);
      if (source && SERVICE_OF_PACKAGE[source]) actions.add(`${SERVICE_OF_PACKAGE[source]}:${match[1]}`);
    }
    // A Query's input object: the index it names, or none (the base table).
    for (const request of objectLiteralsContaining(text, 'KeyConditionExpression')) {
      const index = /IndexName:\s*(?:'([\w.-]+)'|([\w.]+))/.exec(request);
      if (!index) queriesBaseTable = true;
      else queriedIndexes.add(index[1] ?? constants.get(String(index[2])) ?? String(index[2]));
    }
  }
  return { actions, queriedIndexes, queriesBaseTable, sources };
}

/**
 * Each `new XCommand(` of a file, and each SDK paginator call `paginateX(` (which sends XCommand), with the
 * name of the function or method that makes it and the identifier it imports.
 */
function commandsBuilt(path: string, text: string): { command: string; caller?: string; imported: string }[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found: { command: string; caller?: string; imported: string }[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      /Command$/.test(node.expression.text)
    ) {
      const imported = node.expression.text;
      found.push({ command: imported, caller: enclosingName(node), imported });
    }
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      /^paginate[A-Z]/.test(node.expression.text)
    ) {
      const imported = node.expression.text;
      found.push({
        command: `${imported.slice('paginate'.length)}Command`,
        caller: enclosingName(node),
        imported,
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function enclosingName(node: ts.Node): string | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if ((ts.isMethodDeclaration(current) || ts.isFunctionDeclaration(current)) && current.name) {
      return current.name.getText();
    }
    if (ts.isArrowFunction(current) || ts.isFunctionExpression(current)) {
      const holder = current.parent;
      if ((ts.isPropertyAssignment(holder) || ts.isVariableDeclaration(holder)) && holder.name) {
        return holder.name.getText();
      }
    }
  }
  return undefined;
}

const sourceText = new Map<string, string>();
/** Whether some reachable source calls `name(` (as a function or a method), outside its own definition. */
function callers(name: string, sources: string[], definedIn: string): boolean {
  const call = new RegExp(`(?<![\\w$])${name}\\s*\\(`, 'g');
  return sources.some((path) => {
    const text = sourceText.get(path) ?? readFileSync(path, 'utf8');
    sourceText.set(path, text);
    const calls = [...text.matchAll(call)].length;
    const definitions = [...text.matchAll(new RegExp(`(?:function\\s+|async\\s+|^\\s+)${name}\\s*\\(`, 'gm'))]
      .length;
    return path === definedIn ? calls > definitions : calls > 0;
  });
}

/** `NAME = { key: 'value' }` and `NAME = 'value'` constants, as `NAME.key` / `NAME` → value. */
function stringConstants(sources: string[]): Map<string, string> {
  const constants = new Map<string, string>();
  for (const path of sources) {
    const text = readFileSync(path, 'utf8');
    for (const match of text.matchAll(/const\s+(\w+)\s*=\s*\{([^{}]*)\}/g)) {
      // `name: 'value'`, or `name: process.env.X || 'value'`: the value a stack with default parameters reads.
      for (const entry of String(match[2]).matchAll(/(\w+):\s*(?:[\w.]+\s*\|\|\s*)?'([^']*)'/g)) {
        constants.set(`${match[1]}.${entry[1]}`, String(entry[2]));
      }
    }
  }
  return constants;
}

/** The innermost `{ … }` around each occurrence of `marker`. */
function objectLiteralsContaining(text: string, marker: string): string[] {
  const literals: string[] = [];
  for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + marker.length)) {
    let start = at;
    for (let depth = 0; start > 0; start--) {
      const char = text[start - 1];
      if (char === '}') depth++;
      if (char === '{') {
        if (depth === 0) break;
        depth--;
      }
    }
    let end = at;
    for (let depth = 0; end < text.length; end++) {
      if (text[end] === '{') depth++;
      if (text[end] === '}') {
        if (depth === 0) break;
        depth--;
      }
    }
    literals.push(text.slice(start - 1, end + 1));
  }
  return literals;
}
