import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, type GlobalSecondaryIndexProps, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_DESIGN } from '../../lambdas/adapters/dynamo/table-design';

/** A key attribute of an index: a name (string type) or a name and its DynamoDB type. */
export type IndexKey = string | { name: string; type: 'S' | 'N' };

/**
 * The shape of an optional `globalSecondaryIndexes` list in TABLE_DESIGN.
 * `projection` is `ALL` (the default), `KEYS_ONLY` or the non-key attributes
 * to include.
 */
export interface TableIndexDesign {
  indexName: string;
  partitionKey: IndexKey;
  sortKey?: IndexKey;
  projection?: 'ALL' | 'KEYS_ONLY' | readonly string[];
}

export interface DataTableProps {
  /** Retain the table when the stack is deleted and turn on deletion protection. */
  readonly production: boolean;
  /** The table's shape; TABLE_DESIGN unless a test passes another. */
  readonly design?: TableDesign;
}

/** What the construct reads from a table design. */
export interface TableDesign {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly ttlAttribute: string;
  readonly globalSecondaryIndexes?: readonly TableIndexDesign[];
}

/** The indexes TABLE_DESIGN declares, if any. */
export function designedIndexes(design: object = TABLE_DESIGN): readonly TableIndexDesign[] {
  const indexes = (design as { globalSecondaryIndexes?: readonly TableIndexDesign[] }).globalSecondaryIndexes ?? [];
  const names = new Set<string>();
  for (const index of indexes) {
    if (!index.indexName || names.has(index.indexName))
      throw new Error(`TABLE_DESIGN.globalSecondaryIndexes: index names must be unique and non-empty (${index.indexName}).`);
    names.add(index.indexName);
  }
  return indexes;
}

const attribute = (key: IndexKey) =>
  typeof key === 'string'
    ? { name: key, type: AttributeType.STRING }
    : { name: key.name, type: key.type === 'N' ? AttributeType.NUMBER : AttributeType.STRING };

function indexProps(index: TableIndexDesign): GlobalSecondaryIndexProps {
  const projection = index.projection ?? 'ALL';
  return {
    indexName: index.indexName,
    partitionKey: attribute(index.partitionKey),
    ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
    ...(projection === 'ALL'
      ? { projectionType: ProjectionType.ALL }
      : projection === 'KEYS_ONLY'
        ? { projectionType: ProjectionType.KEYS_ONLY }
        : { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...projection] }),
  };
}

/**
 * The single table, built from TABLE_DESIGN (the local stack builds its table
 * from the same design).
 *
 * Encryption uses the AWS managed key (`aws/dynamodb`) rather than a customer
 * managed key: every read and write is logged in CloudTrail against a key the
 * account can see, without a key policy to maintain, a monthly key charge, or
 * the risk of locking the table by disabling the key. A CMK adds value only
 * when key access must be separated from table access or the key revoked,
 * and each function's grants would then have to include kms:Decrypt.
 */
export class DataTable extends Construct {
  public readonly table: Table;
  /** Names of the table's global secondary indexes (grants cover exactly these). */
  public readonly indexNames: readonly string[];

  constructor(scope: Construct, id: string, props: DataTableProps) {
    super(scope, id);
    const design: TableDesign = props.design ?? TABLE_DESIGN;
    const indexes = designedIndexes(design);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: design.partitionKey, type: AttributeType.STRING },
      sortKey: { name: design.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: design.ttlAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: props.production,
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of indexes) this.table.addGlobalSecondaryIndex(indexProps(index));
    this.indexNames = indexes.map((index) => index.indexName);
  }
}
