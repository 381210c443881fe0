import {
  OperationNodeTransformer,
  PrimitiveValueListNode,
  ValueNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

const toSqlite = (value: unknown): unknown => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

class BooleanParameterTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    if (typeof node.value !== 'boolean') return super.transformValue(node);
    // DDL defaults are inlined ("immediate"), query values are bound: keep whichever the node was.
    return node.immediate ? ValueNode.createImmediate(toSqlite(node.value)) : ValueNode.create(toSqlite(node.value));
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return PrimitiveValueListNode.create(node.values.map(toSqlite));
  }
}

/**
 * SQLite has no boolean type: writes booleans as 0/1 and reads the named boolean columns back as
 * booleans, so repositories see the same values on both databases. Used only by the database factory.
 */
export class SqliteValuesPlugin implements KyselyPlugin {
  readonly #transformer = new BooleanParameterTransformer();

  constructor(private readonly booleanColumns: ReadonlySet<string>) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    for (const row of args.result.rows) {
      for (const key of Object.keys(row)) {
        const value = row[key];
        if (this.booleanColumns.has(key) && (value === 0 || value === 1)) row[key] = value === 1;
      }
    }
    return args.result;
  }
}
