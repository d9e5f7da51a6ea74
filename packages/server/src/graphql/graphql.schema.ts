/**
 * The GraphQL schema: exactly the operations the Labelbox Python SDK sends for the export path
 * (docs/labelbox-graphql.md), with the type names its documents declare variables with.
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

const SDL = /* GraphQL */ `
  "An instant, as JavaScript's toISOString() writes it: 2024-10-01T12:00:00.000Z"
  scalar DateTime
  "A non-negative integer; accepts a decimal string (the SDK sends offsets as strings)"
  scalar UInt64
  "Any JSON value (search query items)"
  scalar Json

  enum TaskStreamType {
    RESULT
    ERRORS
  }

  input WhereUniqueIdInput {
    id: ID!
  }

  type Query {
    project(where: WhereUniqueIdInput!): Project
    "The API key's user (where.id, when given, must be that user)"
    user(where: WhereUniqueIdInput): User
    task(where: WhereUniqueIdInput): Task
    organization: Organization
  }

  type Mutation {
    exportDataRowsInProject(input: ExportDataRowsInProjectInput!): ExportDataRowsInProjectResult!
    "Legacy V1 export: send it again every few seconds until shouldPoll is false"
    exportLabels(data: ExportLabelsInput!): ExportLabelsResult!
  }

  type Project {
    id: ID!
    name: String!
    description: String
    createdAt: DateTime!
    updatedAt: DateTime!
    setupComplete: DateTime
    lastActivityTime: DateTime
    dataRowCount: Int!
    allowedMediaType: String!
    queueMode: String!
    editorTaskType: String
    uploadType: String
    autoAuditNumberOfLabels: Int!
    autoAuditPercentage: Float!
    isBenchmarkEnabled: Boolean!
    isConsensusEnabled: Boolean!
    modelSetupComplete: Boolean!
  }

  type User {
    id: ID!
    email: String!
    name: String!
    nickname: String
    picture: String
    intercomHash: String
    isExternalUser: Boolean!
    isViewer: Boolean!
    timezone: String
    createdAt: DateTime!
    updatedAt: DateTime!
    createdTasks(where: WhereUniqueIdInput, skip: Int, first: Int): [Task!]!
  }

  type Organization {
    id: ID!
    name: String!
    createdAt: DateTime!
    updatedAt: DateTime!
  }

  type Task {
    id: ID!
    name: String
    type: String!
    status: String!
    completionPercentage: Float!
    createdAt: DateTime!
    updatedAt: DateTime!
    "URLs of non-streamed task files; export tasks are read through the two fields below"
    result: String
    errors: String
    metadata: Json
    exportMetadataHeader(streamType: TaskStreamType!): ExportMetadataHeader
    exportFileFromOffset(streamType: TaskStreamType!, offset: UInt64!): ExportFileFromOffset
  }

  type ExportMetadataHeader {
    totalSize: UInt64!
    totalLines: UInt64!
  }

  type ExportRange {
    start: UInt64!
    end: UInt64!
  }

  type ExportFileFromOffset {
    offsets: ExportRange!
    lines: ExportRange!
    "A signed, short-lived URL; GET it without credentials"
    file: String!
  }

  input ExportDataRowsInProjectInput {
    taskName: String
    isStreamableReady: Boolean
    filters: ExportFiltersInput!
    params: ExportParamsInput
    streamable: Boolean
  }

  input ExportFiltersInput {
    projectId: ID!
    searchQuery: SearchQueryInput
  }

  input SearchQueryInput {
    scope: Json
    query: [Json!]
  }

  input ExportParamsInput {
    mediaTypeOverride: String
    includeAttachments: Boolean
    includeEmbeddings: Boolean
    includeMetadata: Boolean
    includeDataRowDetails: Boolean
    includeProjectDetails: Boolean
    includePerformanceDetails: Boolean
    includeLabelDetails: Boolean
    includeInterpolatedFrames: Boolean
  }

  type ExportDataRowsInProjectResult {
    taskId: ID!
    isStreamable: Boolean!
  }

  input ExportLabelsInput {
    projectId: ID!
    filters: ExportLabelsFiltersInput
  }

  input ExportLabelsFiltersInput {
    labelCreatedAt: DateRangeInput
    lastActivityAt: DateRangeInput
  }

  "Either bound may be missing or empty"
  input DateRangeInput {
    start: String
    end: String
  }

  type ExportLabelsResult {
    downloadUrl: String
    createdAt: DateTime
    shouldPoll: Boolean!
  }
`;

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
