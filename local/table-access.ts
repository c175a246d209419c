/**
 * IAM's table permissions, enforced on the local stack: while a handler runs
 * for a route, every DynamoDB command it sends is checked against the
 * actions its route declares (`access.table` in lambdas/routes.ts, the list
 * the CDK stack grants), and refused with AccessDeniedException as AWS would.
 * So every integration test is also a least-privilege test: a handler that
 * starts using an action its route does not declare fails here, not after
 * `cdk deploy`. Transactions need the action of each item (ConditionCheck
 * needs ConditionCheckItem), as in IAM.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableAction } from '../lambdas/routes';

interface Scope {
  name: string;
  table: readonly TableAction[];
}

const scope = new AsyncLocalStorage<Scope>();

/** Runs `work` (a handler invocation) under the table actions `name` is granted. */
export function withTableAccess<T>(name: string, table: readonly TableAction[] | undefined, work: () => T): T {
  return scope.run({ name, table: table ?? [] }, work);
}

/** The IAM action of each command, by the class name of the document client's and the plain client's commands. */
const SINGLE_ACTIONS: Record<string, string> = {
  GetCommand: 'GetItem',
  GetItemCommand: 'GetItem',
  PutCommand: 'PutItem',
  PutItemCommand: 'PutItem',
  UpdateCommand: 'UpdateItem',
  UpdateItemCommand: 'UpdateItem',
  DeleteCommand: 'DeleteItem',
  DeleteItemCommand: 'DeleteItem',
  QueryCommand: 'Query',
  ScanCommand: 'Scan',
  BatchGetCommand: 'BatchGetItem',
  BatchGetItemCommand: 'BatchGetItem',
  BatchWriteCommand: 'BatchWriteItem',
  BatchWriteItemCommand: 'BatchWriteItem',
};

const TRANSACT_ITEM_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

/** The table actions IAM requires for `command`; an unknown command requires an action no route declares. */
export function actionsOf(command: { constructor: { name: string }; input?: unknown }): string[] {
  const name = command.constructor.name;
  if (SINGLE_ACTIONS[name]) return [SINGLE_ACTIONS[name]];
  if (/^Transact(Write|Get)(Items)?Command$/.test(name)) {
    const items = ((command.input as { TransactItems?: Record<string, unknown>[] } | undefined)?.TransactItems ?? []).flatMap((item) => Object.keys(item));
    return [...new Set(items.map((kind) => TRANSACT_ITEM_ACTIONS[kind] ?? `unknown transaction item ${kind}`))];
  }
  return [`unknown command ${name}`];
}

function denied(current: Scope, action: string): Error {
  const error = new Error(`${current.name} is not authorized to perform: dynamodb:${action} (its route declares: ${current.table.join(', ') || 'nothing'})`);
  error.name = 'AccessDeniedException';
  return error;
}

let installed = false;

/** Wraps `send` of both DynamoDB clients once per process; outside `withTableAccess` nothing is checked. */
export function enforceTableAccess(): void {
  if (installed) return;
  installed = true;
  for (const client of [DynamoDBDocumentClient, DynamoDBClient]) {
    const prototype = client.prototype as unknown as { send: (command: { constructor: { name: string }; input?: unknown }, ...rest: unknown[]) => unknown };
    const send = prototype.send;
    prototype.send = function checkedSend(this: unknown, command, ...rest) {
      const current = scope.getStore();
      const missing = current ? actionsOf(command).filter((action) => !current.table.includes(action as TableAction)) : [];
      if (current && missing.length) return Promise.reject(denied(current, missing[0]));
      return send.call(this, command, ...rest);
    };
  }
}
