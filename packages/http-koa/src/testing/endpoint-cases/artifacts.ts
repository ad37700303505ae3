import { fromNow, HOUR } from '../fixtures';
import type { EndpointCases } from './case';

const LOG = 'public/logs/live.log';
const reference = { storageType: 'reference', url: 'https://example.com/live.log' };
const errorArtifact = { storageType: 'error', reason: 'file-missing-on-worker', message: 'no such file' };

/** Creating, finding and listing artifacts. */
export const artifactCases: EndpointCases = {
  createArtifact: {
    happy: async (f) => {
      const { taskId } = await f.running();
      return {
        call: (q) => q.createArtifact(taskId, 0, LOG, { storageType: 's3', expires: fromNow(HOUR), contentType: 'text/plain' }),
        check: (r) => expect(r).toMatchObject({ storageType: 's3', contentType: 'text/plain', putUrl: expect.any(String) }),
      };
    },
    error: async (f) => {
      const { taskId } = await f.running();
      return {
        call: (q) => q.createArtifact(taskId, 0, LOG, { storageType: 'ftp', expires: fromNow(HOUR) }),
        expected: { statusCode: 400, code: 'InputValidationError', mentions: 'storageType' },
      };
    },
  },
  finishArtifact: {
    happy: async (f) => {
      const task = await f.running();
      await f.artifact(task, LOG, { storageType: 's3', contentType: 'text/plain' });
      return {
        call: (q) => q.finishArtifact(task.taskId, 0, LOG, { uploadId: 'upload-1' }),
        documentedError: { statusCode: 400, code: 'InputError', mentions: 'object artifacts' },
      };
    },
    error: async (f) => {
      const { taskId } = await f.running();
      return {
        call: (q) => q.finishArtifact(taskId, 0, 'public/missing', { uploadId: 'upload-1' }),
        expected: { statusCode: 404, code: 'ResourceNotFound' },
      };
    },
  },
  getArtifact: {
    happy: async (f) => {
      const task = await f.running();
      await f.artifact(task, LOG, reference);
      return { call: (q) => q.getArtifact(task.taskId, 0, LOG), check: (r) => expect(r).toEqual({ storageType: 'reference', url: reference.url }) };
    },
    error: async (f) => {
      const task = await f.running();
      await f.artifact(task, 'public/error.log', errorArtifact);
      return { call: (q) => q.getArtifact(task.taskId, 0, 'public/error.log'), expected: { statusCode: 424, mentions: 'no such file' } };
    },
  },
  getLatestArtifact: {
    happy: async (f) => {
      const task = await f.running();
      await f.artifact(task, LOG, reference);
      return { call: (q) => q.getLatestArtifact(task.taskId, LOG), check: (r) => expect(r).toEqual({ storageType: 'reference', url: reference.url }) };
    },
    error: async (f) => {
      const { taskId } = await f.running();
      return { call: (q) => q.getLatestArtifact(taskId, 'public/missing'), expected: { statusCode: 404, code: 'ResourceNotFound' } };
    },
  },
  listArtifacts: {
    happy: async (f) => {
      const task = await f.running();
      await f.artifact(task, LOG, reference);
      return { call: (q) => q.listArtifacts(task.taskId, 0), check: (r) => expect(r.artifacts.map((a: { name: string }) => a.name)).toEqual([LOG]) };
    },
    error: async (f) => {
      const { taskId } = await f.running();
      return { call: (q) => q.listArtifacts(taskId, 4), expected: { statusCode: 404, code: 'ResourceNotFound' } };
    },
  },
  listLatestArtifacts: {
    happy: async (f) => {
      const task = await f.running();
      await f.artifact(task, LOG, reference);
      return { call: (q) => q.listLatestArtifacts(task.taskId), check: (r) => expect(r.artifacts).toHaveLength(1) };
    },
    error: async (f) => {
      const { taskId } = await f.running();
      return {
        call: (q) => q.listLatestArtifacts(taskId, { limit: '0' }),
        expected: { statusCode: 400, code: 'InvalidRequestArguments', mentions: 'limit' },
      };
    },
  },
  artifactInfo: {
    happy: async (f) => {
      const task = await f.running();
      await f.artifact(task, LOG, reference);
      return {
        call: (q) => q.artifactInfo(task.taskId, 0, LOG),
        check: (r) => expect(r).toMatchObject({ name: LOG, storageType: 'reference', contentType: 'application/binary' }),
      };
    },
    error: async (f) => {
      const { taskId } = await f.running();
      return { call: (q) => q.artifactInfo(taskId, 0, 'public/missing'), expected: { statusCode: 404, code: 'ResourceNotFound' } };
    },
  },
  latestArtifactInfo: {
    happy: async (f) => {
      const task = await f.running();
      await f.artifact(task, LOG, reference);
      return { call: (q) => q.latestArtifactInfo(task.taskId, LOG), check: (r) => expect(r).toMatchObject({ name: LOG, storageType: 'reference' }) };
    },
    error: async () => ({
      call: (q) => q.latestArtifactInfo('short', LOG),
      expected: { statusCode: 400, code: 'InvalidRequestArguments', mentions: 'taskId' },
    }),
  },
  artifact: {
    happy: async (f) => {
      const task = await f.running();
      await f.artifact(task, LOG, reference);
      return { call: (q) => q.artifact(task.taskId, 0, LOG), check: (r) => expect(r).toEqual({ storageType: 'reference', url: reference.url }) };
    },
    error: async (f) => {
      const { taskId } = await f.running();
      return {
        call: (q) => q.artifact(taskId, 'latest', LOG),
        expected: { statusCode: 400, code: 'InvalidRequestArguments', mentions: 'runId' },
      };
    },
  },
  latestArtifact: {
    happy: async (f) => {
      const task = await f.running();
      await f.artifact(task, 'public/error.log', errorArtifact);
      return {
        call: (q) => q.latestArtifact(task.taskId, 'public/error.log'),
        check: (r) => expect(r).toEqual({ storageType: 'error', reason: errorArtifact.reason, message: errorArtifact.message }),
      };
    },
    error: async (f) => {
      const { taskId } = await f.defined();
      return { call: (q) => q.latestArtifact(taskId, LOG), expected: { statusCode: 404, code: 'ResourceNotFound', mentions: 'no runs' } };
    },
  },
};
