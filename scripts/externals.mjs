// Native or ESM-only packages the node bundles load at run time from node_modules (shipped in the .vsix and the GPU
// bundle), and optional ones. (@tensorflow/tfjs-backend-webgpu is bundled: it must register into the trainer's own
// copy of tfjs-core.) Shared by scripts/build.mjs and scripts/gpu-bundle.mjs.
export const NODE_EXTERNAL = ['vscode', 'koffi', 'h5wasm', 'h5wasm/node', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu'];
