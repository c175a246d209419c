import { BatchGetCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { actionsOf, enforceTableAccess, withTableAccess } from '../../../local/table-access';
import { freshTable } from '../../support/dynamo';

describe("the local stack's table permissions", () => {
  it('names the IAM action of each item of a transaction, ConditionCheck included', () => {
    // Act
    const actions = actionsOf(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 't', Item: { pk: 'a', sk: 'b' } } },
          { ConditionCheck: { TableName: 't', Key: { pk: 'a', sk: 'c' }, ConditionExpression: 'attribute_exists(pk)' } },
        ],
      }),
    );
    // Assess
    expect(actions).toEqual(['PutItem', 'ConditionCheckItem']);
  });

  it('refuses, as AWS would, a command whose action the running route does not declare, and allows the declared ones', async () => {
    // Prepare
    enforceTableAccess();
    const { db, tableName } = await freshTable();
    const key = { pk: 'USER#x', sk: 'PROFILE' };
    // Act
    const refused = withTableAccess('login-flow/example', ['GetItem'], () => db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [key] } } })));
    const allowed = withTableAccess('login-flow/example', ['GetItem'], () => db.send(new GetCommand({ TableName: tableName, Key: key })));
    // Assess
    await expect(refused).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('dynamodb:BatchGetItem') });
    await expect(allowed).resolves.toBeDefined();
  });

  it('checks nothing outside a route (test set-up, the local stack itself)', async () => {
    // Prepare
    enforceTableAccess();
    const { db, tableName } = await freshTable();
    // Act
    const unscoped = db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [{ pk: 'USER#y', sk: 'PROFILE' }] } } }));
    // Assess
    await expect(unscoped).resolves.toBeDefined();
  });
});
