export { startRemoteWrite, type RemoteWrite, type RemoteWriteStats, type StopOptions } from './sender.js';
export { RemoteWriteError, type RemoteWriteOptions } from './options.js';
export type { RemoteWriteTls } from './http-post.js';
export { snappyCompress, snappyUncompress } from './snappy.js';
export { encodeWriteRequest, type RemoteSample, type RemoteHistogram } from './write-request.js';
export { snapshotSamples } from './snapshot.js';
