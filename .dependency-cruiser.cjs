/**
 * Which way imports may run in src/ (STYLE.md: domain in the middle, vendors at the edge).
 * `npm run lint` runs it; `npm run deps:graph` draws the modules and their imports.
 * Type-only imports count: a port that imports an adapter's type is still a door the wrong way.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle makes two modules one: neither can be understood, tested or moved alone.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'vendor-clients-in-adapters',
      severity: 'error',
      comment: 'kafkajs and neo4j-driver are imported only inside src/adapters/.',
      from: { path: '^src/', pathNot: '^src/adapters/' },
      to: { path: 'node_modules/(kafkajs|neo4j-driver)/' },
    },
    {
      name: 'the-rules-stay-the-rules',
      severity: 'error',
      comment: 'src/lineage holds the rules; alerts, the report, search, ingest and check build on it, never the reverse.',
      from: { path: '^src/lineage/' },
      to: { path: '^src/(alerts|report|search|ingest|check|ports)/' },
    },
    {
      name: 'events-and-policy-are-the-base',
      severity: 'error',
      comment:
        'The event and the policy file are the ground every other room stands on: they import only each other (policy -> events), errors and collections.',
      from: { path: '^src/(events|policy)/' },
      to: {
        path: '^src/(lineage|alerts|report|search|ingest|check|ports|adapters|api|http|cli|sdk|simulate|web|wire|observability|config)/',
      },
    },
    {
      name: 'rules-and-ports-import-only-the-domain',
      severity: 'error',
      comment: 'src/lineage (the rules) and src/ports know nothing of adapters, HTTP, the CLI, the page, the SDK or the simulator.',
      from: { path: '^src/(lineage|ports)/' },
      to: { path: '^src/(adapters|http|api|cli|web|sdk|simulate)/' },
    },
    {
      name: 'adapters-not-to-sdk-cli-http',
      severity: 'error',
      comment:
        'Inputs and stores are adapters: what services import (the SDK) and the outer shells (CLI, HTTP) build on them, not the reverse.',
      from: { path: '^src/adapters/' },
      to: { path: '^src/(sdk|cli|http)/' },
    },
    {
      name: 'nothing-imports-the-cli',
      severity: 'error',
      comment: 'src/cli is the outermost shell (the composition root lives there): no other layer imports it.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'library-entry-loads-no-vendor-client',
      severity: 'error',
      comment:
        "Importing 'borderline' (the schemas, the policy file) must not load kafkajs, neo4j-driver or the OpenTelemetry SDK: 'borderline/sdk' does.",
      from: { path: '^src/index\\.ts$' },
      to: { path: 'node_modules/(kafkajs|neo4j-driver|@opentelemetry/sdk-|@opentelemetry/resources)', reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/web/dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { dot: { collapsePattern: '^src/[^/]+|^node_modules/(@[^/]+/)?[^/]+' } },
  },
};
