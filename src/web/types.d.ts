declare module 'cytoscape-fcose' {
  import type { Ext } from 'cytoscape';
  const fcose: Ext;
  export default fcose; // eslint-disable-line no-restricted-syntax -- the package's own default export
}
