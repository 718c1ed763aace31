// Jest test environment for code that runs onnxruntime-node.
//
// Jest runs each test file in its own V8 context, with its own Float32Array etc. onnxruntime-node's
// native binding creates output tensors' typed arrays in Node's main context, and
// onnxruntime-common then rejects them (`instanceof` fails across contexts: "A float32 tensor's
// data must be type of function Float32Array()"). Jest already shares ArrayBuffer and Uint8Array
// with the host; this shares the other typed-array constructors too, so both sides agree.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'Int8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class OnnxFriendlyEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxFriendlyEnvironment;
