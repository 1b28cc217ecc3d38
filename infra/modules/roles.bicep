// Vantage's two custom roles. The action lists MUST equal OPERATOR_ROLE_ACTIONS and
// DATA_READ_ACTIONS in shared/azure/permissions.ts (test/azure/bicep-roles.test.ts checks it).
targetScope = 'subscription'

@description('Scopes (subscription ids like /subscriptions/<guid>) where the roles may be assigned, besides this subscription.')
param additionalAssignableScopes array = []

var assignableScopes = union([subscription().id], additionalAssignableScopes)

resource operatorRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'vantage-operator-role')
  properties: {
    roleName: 'Vantage Posture Operator'
    description: 'Vantage: read AKS clusters and registries, manage its trusted-access bindings and image event subscriptions.'
    type: 'customRole'
    permissions: [
      {
        actions: [
          'Microsoft.ContainerService/managedClusters/read'
          'Microsoft.ContainerService/managedClusters/trustedAccessRoleBindings/read'
          'Microsoft.ContainerService/managedClusters/trustedAccessRoleBindings/write'
          'Microsoft.ContainerService/managedClusters/trustedAccessRoleBindings/delete'
          'Microsoft.ContainerRegistry/registries/read'
          'Microsoft.ContainerRegistry/registries/pull/read'
          'Microsoft.EventGrid/eventSubscriptions/write'
          'Microsoft.EventGrid/eventSubscriptions/delete'
          // Azure blast radius: role assignments and definitions of the identities clusters expose.
          'Microsoft.Authorization/roleAssignments/read'
          'Microsoft.Authorization/roleDefinitions/read'
          'Microsoft.ManagedIdentity/userAssignedIdentities/read'
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
    assignableScopes: assignableScopes
  }
}

// Kubernetes read access through Azure RBAC for Kubernetes authorization, Secrets deliberately absent.
resource dataReadRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'vantage-data-read-role')
  properties: {
    roleName: 'Vantage Kubernetes Reader'
    description: 'Vantage: read Kubernetes objects for posture, never Secrets.'
    type: 'customRole'
    permissions: [
      {
        actions: []
        notActions: []
        dataActions: [
          'Microsoft.ContainerService/managedClusters/namespaces/read'
          'Microsoft.ContainerService/managedClusters/nodes/read'
          'Microsoft.ContainerService/managedClusters/pods/read'
          'Microsoft.ContainerService/managedClusters/services/read'
          'Microsoft.ContainerService/managedClusters/serviceaccounts/read'
          'Microsoft.ContainerService/managedClusters/apps/deployments/read'
          'Microsoft.ContainerService/managedClusters/apps/replicasets/read'
          'Microsoft.ContainerService/managedClusters/apps/statefulsets/read'
          'Microsoft.ContainerService/managedClusters/apps/daemonsets/read'
          'Microsoft.ContainerService/managedClusters/batch/jobs/read'
          'Microsoft.ContainerService/managedClusters/batch/cronjobs/read'
          'Microsoft.ContainerService/managedClusters/discovery.k8s.io/endpointslices/read'
          'Microsoft.ContainerService/managedClusters/networking.k8s.io/ingresses/read'
          'Microsoft.ContainerService/managedClusters/networking.k8s.io/networkpolicies/read'
          'Microsoft.ContainerService/managedClusters/rbac.authorization.k8s.io/roles/read'
          'Microsoft.ContainerService/managedClusters/rbac.authorization.k8s.io/rolebindings/read'
          'Microsoft.ContainerService/managedClusters/rbac.authorization.k8s.io/clusterroles/read'
          'Microsoft.ContainerService/managedClusters/rbac.authorization.k8s.io/clusterrolebindings/read'
          'Microsoft.ContainerService/managedClusters/admissionregistration.k8s.io/mutatingwebhookconfigurations/read'
          'Microsoft.ContainerService/managedClusters/admissionregistration.k8s.io/validatingwebhookconfigurations/read'
        ]
        notDataActions: []
      }
    ]
    assignableScopes: assignableScopes
  }
}

output operatorRoleDefinitionId string = operatorRole.id
output dataReadRoleDefinitionId string = dataReadRole.id
output operatorRoleGuid string = operatorRole.name
output dataReadRoleGuid string = dataReadRole.name
