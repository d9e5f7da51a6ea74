/**
 * The schema's types: exactly the operations the Labelbox Python SDK sends (docs/labelbox-graphql.md),
 * with the type names its documents declare variables with.
 */
export const SDL = /* GraphQL */ `
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
    "The projects the key may see, oldest first (client.get_projects pages with skip and first)"
    projects(where: ProjectWhereInput, skip: Int, first: Int): [Project!]!
  }

  "What client.get_projects(where=...) compares: equality only, joined with AND"
  input ProjectWhereInput {
    id: ID
    name: String
    description: String
    "prefer deletes projects outright: false matches every project, true none"
    deleted: Boolean
    AND: [ProjectWhereInput!]
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
    "The chunk starting at the first byte of that 0-based line (Stream.with_line)"
    exportFileFromLine(streamType: TaskStreamType!, line: UInt64!): ExportFileFromOffset
    createdBy: User
    organization: Organization
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
