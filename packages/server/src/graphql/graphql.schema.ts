/**
 * The executable GraphQL schema: the SDL of graphql.sdl.ts with its scalars' behaviour.
 */
import {
  buildSchema,
  GraphQLError,
  type GraphQLScalarType,
  type GraphQLSchema,
  Kind,
  type ValueNode,
  valueFromASTUntyped,
} from 'graphql';
import { SDL } from './graphql.sdl.ts';

export function buildGraphqlSchema(): GraphQLSchema {
  const schema = buildSchema(SDL);
  setScalar(schema, 'DateTime', {
    serialize: (v) => {
      if (typeof v === 'number') return new Date(v).toISOString();
      if (v instanceof Date) return v.toISOString();
      throw new GraphQLError('DateTime cannot represent this value');
    },
  });
  setScalar(schema, 'UInt64', {
    serialize: (v) => {
      if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
      throw new GraphQLError('UInt64 cannot represent this value');
    },
    parseValue: (v) => uint64(v),
    parseLiteral: (ast) => {
      if (ast.kind === Kind.INT || ast.kind === Kind.STRING) return uint64(ast.value);
      throw new GraphQLError('UInt64 must be a non-negative integer or a decimal string');
    },
  });
  setScalar(schema, 'Json', {
    serialize: (v) => v,
    parseValue: (v) => v,
    parseLiteral: (ast: ValueNode, variables?: { [key: string]: unknown } | null) =>
      valueFromASTUntyped(ast, variables),
  });
  return schema;
}

function uint64(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : value;
  const n = typeof text === 'string' && /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw new GraphQLError(
      `UInt64 must be a non-negative integer or a decimal string, not ${JSON.stringify(value)}`,
    );
  }
  return n;
}

type ScalarBehaviour = Partial<Pick<GraphQLScalarType, 'serialize' | 'parseValue' | 'parseLiteral'>>;

function setScalar(schema: GraphQLSchema, name: string, behaviour: ScalarBehaviour): void {
  const type = schema.getType(name) as GraphQLScalarType;
  Object.assign(type, behaviour);
}
