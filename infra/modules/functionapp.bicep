// The Vantage Function App on Flex Consumption (Node 22) with a user-assigned identity and
// App Service authentication (Entra ID) in front of the HTTP API.
param name string
param location string
param tags object
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerUrl string
param appInsightsConnectionString string
@description('Client id of the Entra ID app registration protecting the HTTP API.')
param authClientId string
param maximumInstanceCount int
param instanceMemoryMB int
param appSettings object
@description('Second pass (the code is deployed, so the host key exists): tell onboarding where registries deliver image events.')
param wireEvents bool = false

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: '${name}-plan'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

var baseSettings = {
  // Identity-based host storage (the account has shared keys disabled).
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AZURE_CLIENT_ID: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // host.json's durableTask hubName reads it; one hub per app/environment.
  VANTAGE_TASK_HUB: replace(name, '-', '')
  // The dashboard is served at "/" by an HTTP function, in place of the default host page.
  AzureWebJobsDisableHomepage: 'true'
  // Timer schedules: the registrations name them as %SETTING%, which the host must resolve.
  VANTAGE_DISCOVERY_SCHEDULE: '0 0 */6 * * *'
  VANTAGE_SNAPSHOT_SCHEDULE: '0 0 * * * *'
  VANTAGE_FEED_SCHEDULE: '0 30 1 * * *'
  VANTAGE_REFRESH_SCHEDULE: '0 30 2 * * *'
  VANTAGE_INVENTORY_SCHEDULE: '0 0 2 * * *'
}

// Registries deliver ImagePushed/ImageDeleted to /api/events, authenticated by the host key in the
// URL Event Grid stores. The key exists once the code runs, hence the second pass.
var eventsSettings = wireEvents ? {
  VANTAGE_EVENTS_URL: 'https://${app.properties.defaultHostName}/api/events?code=${listKeys('${app.id}/host/default', app.apiVersion).functionKeys.default}'
} : {}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  // azd deploys the package to the resource tagged with its service name (azure.yaml: api).
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identityId }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'node', version: '22' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
  }
}

resource settings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'appsettings'
  properties: union(baseSettings, eventsSettings, appSettings)
}

// Entra ID in front of everything except the Event Grid webhook (authenticated by its function key
// and the subscription-validation handshake) and the health probe.
resource auth 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: [ '/api/events', '/api/health' ]
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
          clientId: authClientId
        }
        validation: {
          allowedAudiences: [ 'api://${authClientId}', authClientId ]
        }
      }
    }
    login: { tokenStore: { enabled: false } }
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
output id string = app.id
