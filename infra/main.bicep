// Vantage: agentless container-security posture for AKS. Deploys into the "home" subscription:
// resource group, Function App (Flex Consumption, Node 22), identity-only storage, Application
// Insights, the two Vantage custom roles and the subscription Event Grid system topic.
// `az deployment sub create -l <region> -f infra/main.bicep -p authClientId=<app-registration-client-id>`
targetScope = 'subscription'

@description('Azure region for the resource group and the regional resources.')
param location string

@description('Base name; resource names derive from it (storage gets a unique suffix).')
@minLength(3)
@maxLength(16)
param baseName string = 'vantage'

@description('Resource group to create or reuse.')
param resourceGroupName string = 'rg-${baseName}'

@description('Client id of an existing Entra ID app registration that protects the HTTP API (App Service authentication).')
param authClientId string

@description('Other subscriptions (/subscriptions/<guid>) where the Vantage roles may be assigned.')
param additionalAssignableScopes array = []

@description('Second pass, once the code is deployed: create the Event Grid subscription to the app webhook (Event Grid validates the endpoint) and set VANTAGE_EVENTS_URL for registry events.')
param deployEventSubscription bool = false

@description('Flex Consumption: maximum instances and instance memory.')
param maximumInstanceCount int = 40
@allowed([ 512, 2048, 4096 ])
param instanceMemoryMB int = 2048

param tags object = { application: 'vantage' }

// Known before deployment, so role assignment names derived from it are predictable (what-if).
var appIdentityName = '${baseName}-app'
var appName = '${baseName}-${uniqueString(subscription().id, resourceGroupName)}'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: resourceGroupName
  location: location
  tags: tags
}

module roles 'modules/roles.bicep' = {
  name: 'vantage-roles'
  params: { additionalAssignableScopes: additionalAssignableScopes }
}

module identity 'modules/identity.bicep' = {
  scope: rg
  name: 'vantage-identity'
  params: { name: appIdentityName, location: location, tags: tags }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  name: 'vantage-storage'
  params: {
    name: take('${replace(baseName, '-', '')}${uniqueString(subscription().id, resourceGroupName)}', 24)
    location: location
    tags: tags
    identityName: appIdentityName
  }
  dependsOn: [ identity ]
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  name: 'vantage-monitoring'
  params: { name: '${baseName}-insights', location: location, tags: tags, identityName: appIdentityName }
  dependsOn: [ identity ]
}

module app 'modules/functionapp.bicep' = {
  scope: rg
  name: 'vantage-app'
  params: {
    name: appName
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsConnectionString: monitoring.outputs.connectionString
    authClientId: authClientId
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    wireEvents: deployEventSubscription
    // The code reuses these definitions instead of creating per-subscription copies.
    appSettings: {
      VANTAGE_OPERATOR_ROLE_DEFINITION_ID: roles.outputs.operatorRoleDefinitionId
      VANTAGE_DATA_ROLE_DEFINITION_ID: roles.outputs.dataReadRoleDefinitionId
      VANTAGE_ARM_ENDPOINT: environment().resourceManager
      // Onboarding creates each subscription's operator identity in the deployment's region.
      VANTAGE_OPERATOR_LOCATION: location
    }
  }
}

module events 'modules/events.bicep' = if (deployEventSubscription) {
  scope: rg
  name: 'vantage-events'
  params: {
    name: '${baseName}-subscription-events'
    tags: tags
    functionAppName: appName
    functionAppHostName: app.outputs.defaultHostName
  }
}

output AZURE_RESOURCE_GROUP string = rg.name
output functionAppName string = app.outputs.name
output functionAppHostName string = app.outputs.defaultHostName
output appPrincipalId string = identity.outputs.principalId
output operatorRoleDefinitionId string = roles.outputs.operatorRoleDefinitionId
output dataReadRoleDefinitionId string = roles.outputs.dataReadRoleDefinitionId
