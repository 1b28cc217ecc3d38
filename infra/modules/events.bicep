// Event Grid system topic on the subscription: cluster writes and Defender plan changes trigger a
// re-discovery through the app's Event Grid webhook (POST /api/events).
param name string
param tags object
@description('Name of the Function App (same resource group) whose default host key authenticates the webhook.')
param functionAppName string
param functionAppHostName string

resource functionApp 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: 'global'
  tags: tags
  properties: {
    source: subscription().id
    topicType: 'Microsoft.Resources.Subscriptions'
  }
}

// The webhook answers Event Grid's validation handshake, so the code must be deployed before this
// subscription is created (see deployEventSubscription in main.bicep).
resource resourceWrites 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: 'vantage-resource-writes'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${functionAppHostName}/api/events?code=${listKeys('${functionApp.id}/host/default', functionApp.apiVersion).functionKeys.default}'
        maxEventsPerBatch: 1
      }
    }
    filter: {
      includedEventTypes: [ 'Microsoft.Resources.ResourceWriteSuccess' ]
      advancedFilters: [
        {
          operatorType: 'StringIn'
          key: 'data.operationName'
          values: [
            'Microsoft.Security/pricings/write'
            'Microsoft.ContainerService/managedClusters/write'
          ]
        }
      ]
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 }
  }
}

output topicId string = topic.id
