// Runs the official taskcluster-client (an ES module) in its own Node process for the tests:
// each IPC message names a Queue method, its client options and arguments; the reply carries
// the result or the error the client threw (statusCode, code, body), as a program would see it.
import taskcluster from 'taskcluster-client';

process.on('disconnect', () => process.exit(0));
process.on('message', async ({ id, options, method, args }) => {
  try {
    const queue = new taskcluster.Queue(options);
    let result;
    if (method === 'buildSignedUrl' || method === 'buildUrl') {
      const [target, ...rest] = args;
      result = queue[method](queue[target], ...rest);
    } else {
      result = await queue[method](...args);
    }
    if (process.connected) process.send({ id, result: result === undefined ? null : result });
  } catch (error) {
    if (process.connected) process.send({
      id,
      error: { message: error.message, statusCode: error.statusCode, code: error.code, body: error.body },
    });
  }
});
process.send({ ready: true });
