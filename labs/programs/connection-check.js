// Connection check: is there a KMS at ws_uri, what is it, and do its events reach this page?
// No camera, no media: only kurento-client and the KMS's ServerManager.
var client;
var serverManager;
var serverInfo;
var pipelineCount;
var testPipeline;

// @step connect
// kurento-client opens a WebSocket to ws_uri and speaks JSON-RPC 2.0 over it (the first frame is a ping).
kurentoClient(ws_uri, function (error, kurento) {
  if (error) return onError(error);
  client = kurento;
  showStatus('Connected to ' + ws_uri);
});

// @step info
// Every KMS has one ServerManager. getInfo returns the version and, per module, the factories it can create.
client.getServerManager(function (error, manager) {
  if (error) return onError(error);
  serverManager = manager;
  serverManager.getInfo(function (error, info) {
    if (error) return onError(error);
    serverInfo = info;
    showStatus('KMS ' + info.version);
    info.modules.forEach(function (module) {
      console.log(module.name + ': ' + module.factories.join(', '));
    });
  });
});

// @step pipelines
// Every pipeline on this KMS, whoever created it: those never released stay here, holding memory and ports.
serverManager.getPipelines(function (error, pipelines) {
  if (error) return onError(error);
  pipelineCount = pipelines.length;
  showStatus(pipelineCount + ' pipeline(s) on this KMS');
});

// @step events
// The ServerManager reports every object created or destroyed on the server.
serverManager.on('ObjectCreated', function (event) {
  console.log('ObjectCreated', event.object);
});
serverManager.on('ObjectDestroyed', function (event) {
  console.log('ObjectDestroyed', event.objectId);
});
// on() takes no callback: kurento-client sends the subscriptions a moment later, after any create issued now.
// A call on the same object leaves after them, so once it answers, the pipeline created next is reported.
serverManager.getPipelines(function (error) {
  if (error) return onError(error);
  client.create('MediaPipeline', function (error, pipeline) {
    if (error) return onError(error);
    testPipeline = pipeline;
    testPipeline.release(function (error) {
      if (error) return onError(error);
      showStatus('Created and released a pipeline');
    });
  });
});
